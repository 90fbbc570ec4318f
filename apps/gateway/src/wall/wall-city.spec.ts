import { loadCityData } from '@ioc/reference-data';
import path from 'node:path';
import { wallCityOf } from './wall-city';
import { WallFiles } from './wall-page';

const CITY_DATA_DIR = path.resolve(__dirname, '../../../../data/cities/hai-phong');

describe(wallCityOf.name, () => {
  it('draws the units in force on the day, without the province, and no contact data', async () => {
    const data = await loadCityData(CITY_DATA_DIR);
    const after = wallCityOf(data, new Date('2025-08-01T00:00:00Z'));
    const before = wallCityOf(data, new Date('2024-08-01T00:00:00Z'));
    const codes = (city: typeof after) => city.units.features.map((unit) => unit.properties.name);
    expect(codes(after).length).toBeGreaterThan(0);
    expect(codes(after).some((code) => codes(before).includes(code))).toBe(false);
    expect(after.units.features.every((unit) => unit.properties.level !== 'province')).toBe(true);
    expect(after.cameras).toHaveLength(data.cameras.length);
    expect(after.segments[0].coordinates[0]).toHaveLength(2);
    expect(JSON.stringify(after)).not.toMatch(/"(contact|phone|email)"/);
  });
});

describe(WallFiles.name, () => {
  it('reads only the built files it names, never a path', () => {
    const sut = new WallFiles(path.resolve(__dirname));
    for (const name of ['../../package.json', 'wall-city.ts', '__proto__', 'constructor', '']) {
      expect(sut.read(name)).toBeUndefined();
    }
  });
});
