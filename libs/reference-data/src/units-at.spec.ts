import { join } from 'node:path';
import type { AdminUnit, CityData, GeoPoint } from './city-data';
import { bboxOf } from './geometry/geometry';
import { loadCityData } from './load-city-data';
import { unitsAt } from './units-at';

const BEFORE = new Date('2024-06-01T03:00:00Z');
const AFTER = new Date('2025-09-01T03:00:00Z');

describe(unitsAt.name, () => {
  const sut = unitsAt;

  describe('on the shipped Hải Phòng units', () => {
    let data: CityData;
    beforeAll(async () => {
      data = await loadCityData(join(__dirname, '../../../data/cities/hai-phong'));
    });
    const codesAt = (point: GeoPoint, at: Date, hierarchy?: '2025' | 'pre-2025') =>
      sut(data.adminUnits, point, at, hierarchy).map((unit) => unit.code);

    it.each<[string, GeoPoint, string[], string[]]>([
      [
        'the Opera House square',
        { lat: 20.8585, lon: 106.6825 },
        ['HP.HONG-BANG.HOANG-VAN-THU', 'HP.HONG-BANG', 'HP'],
        ['HP.2025.HONG-BANG', 'HP'],
      ],
      [
        'near Lạch Tray stadium',
        { lat: 20.8535, lon: 106.6945 },
        ['HP.NGO-QUYEN.LACH-TRAY', 'HP.NGO-QUYEN', 'HP'],
        ['HP.2025.GIA-VIEN', 'HP'],
      ],
      [
        'a street of old An Biên now in Lê Chân ward',
        { lat: 20.845, lon: 106.66 },
        ['HP.LE-CHAN.AN-BIEN', 'HP.LE-CHAN', 'HP'],
        ['HP.2025.LE-CHAN', 'HP'],
      ],
      [
        'Cát Bi airport',
        { lat: 20.819, lon: 106.725 },
        ['HP.HAI-AN.CAT-BI', 'HP.HAI-AN', 'HP'],
        ['HP.2025.HAI-AN', 'HP'],
      ],
      [
        'southern Kiến An',
        { lat: 20.79, lon: 106.63 },
        ['HP.KIEN-AN.NAM-SON', 'HP.KIEN-AN', 'HP'],
        ['HP.2025.PHU-LIEN', 'HP'],
      ],
      ['a rural area without shipped districts', { lat: 20.7, lon: 106.55 }, ['HP'], ['HP']],
      ['Cát Bà island', { lat: 20.78, lon: 107.02 }, ['HP'], ['HP']],
      ['former Hải Dương, merged into the city in 2025', { lat: 20.94, lon: 106.33 }, [], ['HP']],
      ['Hà Nội', { lat: 21.03, lon: 105.85 }, [], []],
      ['the open sea', { lat: 20.6, lon: 106.95 }, [], []],
    ])('places %s before and after the reform', (_place, point, before, after) => {
      expect(codesAt(point, BEFORE)).toEqual(before);
      expect(codesAt(point, AFTER)).toEqual(after);
    });

    it('switches hierarchy at midnight on 1 July 2025 in the city, not in UTC', () => {
      const operaHouse = { lat: 20.8585, lon: 106.6825 };
      expect(codesAt(operaHouse, new Date('2025-06-30T16:59:59.999Z'))[0]).toBe('HP.HONG-BANG.HOANG-VAN-THU');
      expect(codesAt(operaHouse, new Date('2025-06-30T17:00:00.000Z'))[0]).toBe('HP.2025.HONG-BANG');
    });

    it('answers only for the hierarchy asked, and only while it is in effect', () => {
      const point = { lat: 20.8585, lon: 106.6825 };
      expect(codesAt(point, BEFORE, 'pre-2025')).toEqual([
        'HP.HONG-BANG.HOANG-VAN-THU',
        'HP.HONG-BANG',
        'HP',
      ]);
      expect(codesAt(point, AFTER, 'pre-2025')).toEqual([]);
      expect(codesAt(point, BEFORE, '2025')).toEqual([]);
    });

    it('settles a point on the border of two wards on the smaller code', () => {
      expect(codesAt({ lat: 20.86, lon: 106.64 }, BEFORE)[0]).toBe('HP.HONG-BANG.QUAN-TOAN');
      expect(codesAt({ lat: 20.86, lon: 106.64 }, AFTER)[0]).toBe('HP.2025.HONG-AN');
    });
  });

  describe('while two hierarchies are in effect at once', () => {
    const square = (minLon: number, minLat: number, size: number): AdminUnit['geometry'] => {
      const ring = [
        [minLon, minLat],
        [minLon + size, minLat],
        [minLon + size, minLat + size],
        [minLon, minLat + size],
        [minLon, minLat],
      ] as const;
      return { type: 'Polygon', coordinates: [ring], bbox: bboxOf(ring) };
    };
    const unit = (
      code: string,
      hierarchy: AdminUnit['hierarchy'],
      parentCode: string | null,
      from: string,
    ) => ({
      code,
      names: { vi: code, en: code },
      level: parentCode === null ? ('province' as const) : ('ward' as const),
      parentCode,
      hierarchy,
      validFrom: from,
      validTo: null,
      effectiveFrom: Date.parse(from),
      effectiveTo: null,
    });
    const units: AdminUnit[] = [
      { ...unit('OLD', 'pre-2025', null, '2020-01-01'), geometry: square(0, 0, 10) },
      { ...unit('OLD.W', 'pre-2025', 'OLD', '2020-01-01'), geometry: square(0, 0, 5) },
      { ...unit('NEW', '2025', null, '2025-01-01'), geometry: square(0, 0, 10) },
      { ...unit('NEW.W', '2025', 'NEW', '2025-01-01'), geometry: square(1, 1, 3) },
    ];

    it('returns the deepest chain of each, newest hierarchy first', () => {
      const codes = sut(units, { lat: 2, lon: 2 }, new Date('2025-06-01')).map((u) => u.code);
      expect(codes).toEqual(['NEW.W', 'NEW', 'OLD.W', 'OLD']);
    });

    it('does not depend on the order of the units', () => {
      const codes = sut([...units].reverse(), { lat: 2, lon: 2 }, new Date('2025-06-01')).map((u) => u.code);
      expect(codes).toEqual(['NEW.W', 'NEW', 'OLD.W', 'OLD']);
    });

    it('ignores units not yet in effect', () => {
      const codes = sut(units, { lat: 2, lon: 2 }, new Date('2024-06-01')).map((u) => u.code);
      expect(codes).toEqual(['OLD.W', 'OLD']);
    });
  });
});
