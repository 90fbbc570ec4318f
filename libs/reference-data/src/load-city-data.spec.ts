import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdminUnit, CityData, GeoPoint } from './city-data';
import { parseIsoDuration } from './iso-duration';
import { loadCityData } from './load-city-data';
import { CITY_DATA_FILES } from './loader/city-data-files';
import { ReferenceDataError, type ReferenceDataProblem } from './reference-data.errors';
import { routeReport } from './route-report';
import { unitsAt } from './units-at';

const HAI_PHONG = join(__dirname, '../../../data/cities/hai-phong');

interface RawFeature {
  type: string;
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}
interface RawCollection {
  type: string;
  features: RawFeature[];
}
type RawItem = Record<string, unknown>;

const shipped = <T>(file: string): T => JSON.parse(readFileSync(join(HAI_PHONG, file), 'utf8')) as T;
const unitIndex = (code: string, hierarchy: string) =>
  shipped<RawCollection>('admin-units.geojson').features.findIndex(
    (f) => f.properties.code === code && f.properties.hierarchy === hierarchy,
  );
const itemIndex = (file: string, key: string, value: string) =>
  shipped<RawItem[]>(file).findIndex((item) => item[key] === value);

const WARD_OLD = unitIndex('HP.HONG-BANG.HOANG-VAN-THU', 'pre-2025');
const WARD_NEW = unitIndex('HP.2025.HONG-BANG', '2025');
const DISTRICT = unitIndex('HP.HONG-BANG', 'pre-2025');
const UNITS = shipped<RawCollection>('admin-units.geojson').features.length;
const FALLBACK = itemIndex('routing-rules.json', 'id', 'RR-CITY-DEFAULT');
const LIGHTING_RULE = itemIndex('routing-rules.json', 'id', 'RR-CITY-STREET-LIGHTING');
const JUNCTION_CAMERA = itemIndex('cameras.json', 'id', 'CAM-TJ-001');
const OPERA_HOUSE = { lat: 20.8585, lon: 106.6825 };
const LACH_TRAY = { lat: 20.8535, lon: 106.6945 };
const RURAL = { lat: 20.7, lon: 106.55 };

describe(loadCityData.name, () => {
  const sut = loadCityData;

  describe('the shipped Hải Phòng folder', () => {
    let data: CityData;
    beforeAll(async () => {
      data = await sut(HAI_PHONG);
    });

    it('loads cleanly with every part filled', () => {
      expect(data.city).toMatchObject({
        code: 'hai-phong',
        timezone: 'Asia/Ho_Chi_Minh',
        defaultLocale: 'vi',
      });
      expect(data.city.centre).toEqual({ lat: 20.86, lon: 106.68 });
      expect(data.categories.length).toBeGreaterThanOrEqual(10);
      expect(data.cameras.length).toBeGreaterThanOrEqual(20);
      expect(data.roadSegments.length).toBeGreaterThanOrEqual(10);
      expect(new Set(data.cameras.map((c) => c.kind))).toEqual(
        new Set(['traffic-junction', 'one-stop-office', 'public-place']),
      );
      expect(new Set(data.kpis.map((k) => k.pillar))).toEqual(
        new Set([
          'overall',
          'digital-government',
          'digital-economy',
          'digital-society',
          'digital-infrastructure',
        ]),
      );
      expect(data.adminUnits.filter((u) => u.level === 'district')).toHaveLength(5);
    });

    it('carries both hierarchies, switching at local midnight on 1 July 2025', () => {
      const ward2025 = data.adminUnits.find((u) => u.code === 'HP.2025.HONG-BANG');
      const district = data.adminUnits.find((u) => u.code === 'HP.HONG-BANG');
      expect(ward2025).toMatchObject({
        hierarchy: '2025',
        parentCode: 'HP',
        validFrom: '2025-07-01',
        validTo: null,
      });
      expect(new Date(ward2025?.effectiveFrom ?? 0).toISOString()).toBe('2025-06-30T17:00:00.000Z');
      expect(district?.effectiveTo).toBe(ward2025?.effectiveFrom);
      expect(data.adminUnits.filter((u) => u.code === 'HP').map((u) => u.hierarchy)).toEqual([
        'pre-2025',
        '2025',
      ]);
    });

    it('gives each geometry its bbox and keeps KPI targets in year order', () => {
      const hp = data.adminUnits.find((u) => u.code === 'HP' && u.hierarchy === 'pre-2025');
      expect(hp?.geometry.type).toBe('MultiPolygon');
      expect(hp?.geometry.bbox).toEqual([106.4, 20.57, 107.12, 21.02]);
      expect(data.kpis.find((k) => k.code === 'dti-rank')?.targets.map((t) => [t.year, t.value])).toEqual([
        [2022, 10],
        [2025, 5],
      ]);
    });

    it('has SLAs that parse and never resolve before they acknowledge', () => {
      for (const { sla } of data.categories)
        expect(parseIsoDuration(sla.resolveWithin)).toBeGreaterThanOrEqual(parseIsoDuration(sla.ackWithin));
    });

    it('is frozen all the way down', () => {
      expect(Object.isFrozen(data)).toBe(true);
      expect(Object.isFrozen(data.adminUnits[0].geometry.coordinates[0])).toBe(true);
      expect(() => {
        (data.categories[0].sla as { ackWithin: string }).ackWithin = 'PT1S';
      }).toThrow(TypeError);
    });

    it.each<[string, string, GeoPoint, string, string]>([
      ['encroachment', 'sidewalk-encroachment', OPERA_HOUSE, 'AG-UBND-Q-HONG-BANG', 'AG-UBND-P-HONG-BANG'],
      [
        'encroachment in Lạch Tray',
        'sidewalk-encroachment',
        LACH_TRAY,
        'AG-UBND-P-LACH-TRAY',
        'AG-UBND-P-GIA-VIEN',
      ],
      ['a dark street lamp', 'street-lighting', OPERA_HOUSE, 'AG-UT-CHIEU-SANG', 'AG-UT-CHIEU-SANG'],
      ['anything else', 'other', LACH_TRAY, 'AG-IOC', 'AG-IOC'],
      ['encroachment outside the shipped districts', 'sidewalk-encroachment', RURAL, 'AG-IOC', 'AG-IOC'],
    ])(
      'routes %s to the right agency before and after the reform',
      (_case, category, point, before, after) => {
        const agencyAt = (at: Date) =>
          routeReport(
            data.routingRules,
            category,
            unitsAt(data.adminUnits, point, at).map((unit) => unit.code),
          )?.agencyId;
        expect(agencyAt(new Date('2024-06-01T03:00:00Z'))).toBe(before);
        expect(agencyAt(new Date('2025-09-01T03:00:00Z'))).toBe(after);
      },
    );

    describe('geometry', () => {
      const contains = (unit: AdminUnit, [lon, lat]: readonly number[], ignoreBoundary: boolean) =>
        booleanPointInPolygon([lon, lat], unit.geometry as unknown as Polygon | MultiPolygon, {
          ignoreBoundary,
        });
      const grid = (unit: AdminUnit) => {
        const [minLon, minLat, maxLon, maxLat] = unit.geometry.bbox;
        const points: number[][] = [];
        for (let i = 1; i < 12; i++)
          for (let j = 1; j < 12; j++)
            points.push([minLon + ((maxLon - minLon) * i) / 12, minLat + ((maxLat - minLat) * j) / 12]);
        return points.filter((p) => contains(unit, p, true));
      };
      const districts = () => data.adminUnits.filter((u) => u.level === 'district');
      const wardsOf = (hierarchy: string) =>
        data.adminUnits.filter((u) => u.hierarchy === hierarchy && u.level === 'ward');

      it('keeps every ward inside its district', () => {
        for (const ward of wardsOf('pre-2025')) {
          const district = data.adminUnits.find((u) => u.code === ward.parentCode);
          const { geometry } = ward;
          const vertices =
            geometry.type === 'Polygon' ? geometry.coordinates.flat() : geometry.coordinates.flat(2);
          for (const vertex of vertices) expect(district && contains(district, vertex, false)).toBe(true);
        }
      });

      it.each(['pre-2025', '2025'])('tiles each old district with %s wards without overlaps', (hierarchy) => {
        for (const district of districts())
          for (const point of grid(district)) {
            const holders = wardsOf(hierarchy).filter((ward) => contains(ward, point, false));
            const interiors = holders.filter((ward) => contains(ward, point, true));
            expect(holders.length).toBeGreaterThanOrEqual(1);
            expect(interiors.length).toBeLessThanOrEqual(1);
          }
      });
    });
  });

  describe('a broken folder', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ioc-reference-data-'));
      await cp(HAI_PHONG, dir, { recursive: true });
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const editJson =
      <T>(file: string, change: (content: T) => void) =>
      async (folder: string) => {
        const content = JSON.parse(await readFile(join(folder, file), 'utf8')) as T;
        change(content);
        await writeFile(join(folder, file), JSON.stringify(content));
      };
    const units = (change: (features: RawFeature[]) => void) =>
      editJson<RawCollection>('admin-units.geojson', (fc) => change(fc.features));
    const items = (file: string, change: (list: RawItem[]) => void) => editJson<RawItem[]>(file, change);

    type Case = [
      string,
      (folder: string) => Promise<void>,
      Partial<Omit<ReferenceDataProblem, 'message'>> & { message?: RegExp },
    ];
    it.each<Case>([
      [
        'a missing file',
        (folder) => unlink(join(folder, 'cameras.json')),
        { code: 'FILE_MISSING', file: 'cameras.json', path: '' },
      ],
      [
        'bad JSON',
        (folder) => writeFile(join(folder, 'city.json'), '{\n  "code": "hai-phong",\n  oops\n}'),
        { code: 'INVALID_JSON', file: 'city.json', message: /not valid JSON: .*line 3, column 3/ },
      ],
      [
        'bytes that are not UTF-8',
        (folder) => writeFile(join(folder, 'kpis.json'), Buffer.from([0x5b, 0xff, 0x5d])),
        { code: 'INVALID_JSON', file: 'kpis.json', message: /UTF-8/ },
      ],
      [
        'an unknown parent',
        units((f) => (f[WARD_OLD].properties.parentCode = 'HP.NOWHERE')),
        {
          code: 'UNKNOWN_REFERENCE',
          file: 'admin-units.geojson',
          path: `features[${WARD_OLD}].properties.parentCode`,
          message: /no pre-2025 unit "HP.NOWHERE"/,
        },
      ],
      [
        'a parent from the other hierarchy',
        units((f) => (f[WARD_NEW].properties.parentCode = 'HP.HONG-BANG')),
        {
          code: 'UNKNOWN_REFERENCE',
          path: `features[${WARD_NEW}].properties.parentCode`,
          message: /no 2025 unit/,
        },
      ],
      [
        'a ward whose parent is a ward',
        units((f) => (f[WARD_OLD].properties.parentCode = 'HP.HONG-BANG.QUAN-TOAN')),
        {
          code: 'INVALID_HIERARCHY',
          path: `features[${WARD_OLD}].properties.parentCode`,
          message: /belongs to a district, not to the ward/,
        },
      ],
      [
        'a district in the 2025 hierarchy',
        units((f) => (f[WARD_NEW].properties.level = 'district')),
        { code: 'INVALID_HIERARCHY', path: `features[${WARD_NEW}].properties.level` },
      ],
      [
        'overlapping validity of one code',
        units((f) =>
          f.push({ ...f[WARD_NEW], properties: { ...f[WARD_NEW].properties, validFrom: '2026-01-01' } }),
        ),
        {
          code: 'OVERLAPPING_VALIDITY',
          path: `features[${UNITS}].properties.validFrom`,
          message: new RegExp(
            `overlaps its version valid from 2025-07-01 on \\(features\\[${WARD_NEW}\\]\\)`,
          ),
        },
      ],
      [
        'validTo before validFrom',
        units((f) => (f[DISTRICT].properties.validTo = '2020-12-31')),
        { code: 'INVALID_VALIDITY', path: `features[${DISTRICT}].properties.validTo` },
      ],
      [
        'a unit outliving its parent',
        units((f) => (f[WARD_OLD].properties.validTo = null)),
        {
          code: 'INVALID_VALIDITY',
          path: `features[${WARD_OLD}].properties.validFrom`,
          message: /outside every version of its parent "HP.HONG-BANG"/,
        },
      ],
      [
        'a self-intersecting polygon',
        units(
          (f) =>
            (f[WARD_NEW].geometry = {
              type: 'Polygon',
              coordinates: [
                [
                  [106.64, 20.85],
                  [106.68, 20.87],
                  [106.68, 20.85],
                  [106.64, 20.87],
                  [106.64, 20.85],
                ],
              ],
            }),
        ),
        {
          code: 'INVALID_GEOMETRY',
          path: `features[${WARD_NEW}].geometry.coordinates`,
          message: /ring 0 touches or crosses itself \(edges 0 and 2\)/,
        },
      ],
      [
        'an unclosed ring',
        units((f) => {
          const rings = f[WARD_NEW].geometry.coordinates as number[][][];
          rings[0].pop();
        }),
        {
          code: 'INVALID_GEOMETRY',
          path: `features[${WARD_NEW}].geometry.coordinates[0]`,
          message: /must end where/,
        },
      ],
      [
        'a point where an area belongs',
        units((f) => (f[WARD_NEW].geometry = { type: 'Point', coordinates: [106.66, 20.86] })),
        { code: 'SCHEMA', path: `features[${WARD_NEW}].geometry.type`, message: /Polygon or MultiPolygon/ },
      ],
      [
        'a unit beyond the city',
        units((f) => {
          const rings = f[WARD_NEW].geometry.coordinates as number[][][];
          f[WARD_NEW].geometry.coordinates = rings.map((ring) => ring.map(([lon, lat]) => [lon - 3, lat]));
        }),
        { code: 'OUTSIDE_CITY', path: `features[${WARD_NEW}].geometry` },
      ],
      [
        'a rule naming an unknown agency',
        items('routing-rules.json', (rules) => (rules[LIGHTING_RULE].agencyId = 'AG-NOPE')),
        {
          code: 'UNKNOWN_REFERENCE',
          file: 'routing-rules.json',
          path: `[${LIGHTING_RULE}].agencyId`,
          message: /unknown agency "AG-NOPE"/,
        },
      ],
      [
        'a rule naming an unknown category',
        items('routing-rules.json', (rules) => (rules[LIGHTING_RULE].categoryCode = 'potholes')),
        { code: 'UNKNOWN_REFERENCE', path: `[${LIGHTING_RULE}].categoryCode` },
      ],
      [
        'a rule naming an unknown unit',
        items('routing-rules.json', (rules) => (rules[LIGHTING_RULE].adminUnitCode = 'HP.NOWHERE')),
        { code: 'UNKNOWN_REFERENCE', path: `[${LIGHTING_RULE}].adminUnitCode` },
      ],
      [
        'two rules for the same category and area',
        items('routing-rules.json', (rules) => rules.push({ ...rules[LIGHTING_RULE], id: 'RR-COPY' })),
        {
          code: 'AMBIGUOUS_RULE',
          path: `[${shipped<RawItem[]>('routing-rules.json').length}]`,
          message: new RegExp(
            `\\[${LIGHTING_RULE}\\] already routes category "street-lighting" in the whole city`,
          ),
        },
      ],
      [
        'no city-wide catch-all rule',
        items('routing-rules.json', (rules) => rules.splice(FALLBACK, 1)),
        { code: 'MISSING_FALLBACK_RULE', file: 'routing-rules.json', path: '' },
      ],
      [
        'a camera outside its unit',
        items('cameras.json', (cameras) => (cameras[JUNCTION_CAMERA].location = { lat: 20.79, lon: 106.63 })),
        {
          code: 'OUTSIDE_UNIT',
          file: 'cameras.json',
          path: `[${JUNCTION_CAMERA}].location`,
          message: /\(20.79, 106.63\) lies outside "HP.2025.GIA-VIEN"/,
        },
      ],
      [
        'a camera outside the city',
        items('cameras.json', (cameras) => (cameras[JUNCTION_CAMERA].location = { lat: 21.03, lon: 105.85 })),
        { code: 'OUTSIDE_CITY', path: `[${JUNCTION_CAMERA}].location` },
      ],
      [
        'a camera in an unknown unit',
        items('cameras.json', (cameras) => (cameras[JUNCTION_CAMERA].adminUnitCode = 'HP.NOWHERE')),
        { code: 'UNKNOWN_REFERENCE', path: `[${JUNCTION_CAMERA}].adminUnitCode` },
      ],
      [
        'a duplicate camera id',
        items('cameras.json', (cameras) => (cameras[1].id = cameras[0].id)),
        {
          code: 'DUPLICATE_ID',
          file: 'cameras.json',
          path: '[1].id',
          message: /"CAM-TJ-001" is already used by \[0\].id/,
        },
      ],
      [
        'a duplicate agency id',
        items('agencies.json', (agencies) => agencies.push({ ...agencies[2] })),
        {
          code: 'DUPLICATE_ID',
          file: 'agencies.json',
          path: `[${shipped<RawItem[]>('agencies.json').length}].id`,
        },
      ],
      [
        'a duplicate road segment id',
        editJson<RawCollection>(
          'road-segments.geojson',
          (fc) => (fc.features[1].properties.id = fc.features[0].properties.id),
        ),
        { code: 'DUPLICATE_ID', file: 'road-segments.geojson', path: 'features[1].properties.id' },
      ],
      [
        'a road segment away from its unit',
        editJson<RawCollection>(
          'road-segments.geojson',
          (fc) => (fc.features[0].properties.adminUnitCode = 'HP.2025.PHU-LIEN'),
        ),
        { code: 'OUTSIDE_UNIT', file: 'road-segments.geojson', path: 'features[0].geometry' },
      ],
      [
        'a duration in months',
        items('categories.json', (categories) => ((categories[0].sla as RawItem).resolveWithin = 'P1M')),
        {
          code: 'SCHEMA',
          file: 'categories.json',
          path: '[0].sla.resolveWithin',
          message: /no fixed length/,
        },
      ],
      [
        'resolving faster than acknowledging',
        items(
          'categories.json',
          (categories) => (categories[0].sla = { ackWithin: 'P2D', resolveWithin: 'PT4H' }),
        ),
        { code: 'SCHEMA', path: '[0].sla.resolveWithin', message: /shorter than ackWithin/ },
      ],
      [
        'a misspelt field',
        items('agencies.json', (agencies) => (agencies[0].adminUnit = 'HP')),
        { code: 'SCHEMA', file: 'agencies.json', path: '[0]', message: /Unrecognized key.*adminUnit/ },
      ],
      [
        'decomposed Vietnamese diacritics',
        items(
          'agencies.json',
          (agencies) => ((agencies[0].names as RawItem).vi = 'Sở Xây dựng'.normalize('NFD')),
        ),
        { code: 'SCHEMA', path: '[0].names.vi', message: /NFC/ },
      ],
      [
        'an unknown time zone',
        editJson<RawItem>('city.json', (city) => (city.timezone = 'Asia/Hai_Phong')),
        { code: 'SCHEMA', file: 'city.json', path: 'timezone' },
      ],
      [
        'a percentage target above 100',
        items('kpis.json', (kpis) => ((kpis[1].targets as RawItem[])[0].value = 120)),
        { code: 'SCHEMA', file: 'kpis.json', path: '[1].targets[0].value', message: /0–100/ },
      ],
    ])('fails on %s', async (_case, breakIt, expected) => {
      await breakIt(dir);
      const error = await sut(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ReferenceDataError);
      const { message, ...fields } = expected;
      const problems = (error as ReferenceDataError).problems;
      const found = problems.filter((p) =>
        Object.entries(fields).every(([k, v]) => p[k as keyof typeof p] === v),
      );
      expect(found.length).toBeGreaterThan(0);
      if (message) expect(found.map((p) => p.message)).toContainEqual(expect.stringMatching(message));
    });

    it('refuses an oversized file before reading it', async () => {
      const error = await sut(dir, { maxFileBytes: 4096 }).catch((e: unknown) => e);
      expect((error as ReferenceDataError).problems).toContainEqual({
        code: 'FILE_TOO_LARGE',
        file: 'admin-units.geojson',
        path: '',
        message: expect.stringMatching(/more than the limit of 4096 bytes/),
      });
    });

    it('names file, item and field in the message, with a stable code', async () => {
      await items('routing-rules.json', (rules) => (rules[LIGHTING_RULE].agencyId = 'AG-NOPE'))(dir);
      await units((f) => (f[WARD_OLD].properties.parentCode = 'HP.NOWHERE'))(dir);
      const error = (await sut(dir).catch((e: unknown) => e)) as ReferenceDataError;
      expect(error.code).toBe('REFERENCE_DATA.INVALID');
      expect(error.message).toContain(`Invalid reference data in ${dir} (2 problems)`);
      expect(error.message).toContain(
        `admin-units.geojson.features[${WARD_OLD}].properties.parentCode: no pre-2025 unit "HP.NOWHERE"`,
      );
      expect(error.message).toContain(
        `routing-rules.json[${LIGHTING_RULE}].agencyId: unknown agency "AG-NOPE"`,
      );
    });

    it('reports every missing file at once', async () => {
      await Promise.all(Object.values(CITY_DATA_FILES).map((file) => unlink(join(dir, file))));
      const error = (await sut(dir).catch((e: unknown) => e)) as ReferenceDataError;
      expect(error.problems.map((p) => [p.code, p.file])).toEqual(
        Object.values(CITY_DATA_FILES).map((file) => ['FILE_MISSING', file]),
      );
    });
  });
});
