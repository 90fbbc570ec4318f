import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCityData } from '@ioc/reference-data';
import { generateFleet } from './fleet';
import { writeFleetCity } from './write-fleet';

const CITY_DIR = path.resolve(__dirname, '../../../../data/cities/hai-phong');
const AT = new Date('2025-09-01T00:00:00Z');

describe(generateFleet.name, () => {
  it('is the same for the same seed, another for another', async () => {
    const data = await loadCityData(CITY_DIR);
    expect(generateFleet(data, 60, 7, AT)).toEqual(generateFleet(data, 60, 7, AT));
    expect(generateFleet(data, 60, 7, AT).cameras).not.toEqual(generateFleet(data, 60, 8, AT).cameras);
  });

  it('writes a city folder the reference-data loader accepts, with the fleet asked for', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ioc-fleet-'));
    try {
      const data = await writeFleetCity(CITY_DIR, dir, 300, 3, AT);
      const original = await loadCityData(CITY_DIR);
      expect(data.cameras).toHaveLength(300);
      expect(data.roadSegments.length).toBeGreaterThan(original.roadSegments.length + 100);
      expect(data.cameras.slice(0, original.cameras.length)).toEqual(original.cameras);
      expect(new Set(data.cameras.map((c) => c.id)).size).toBe(300);
      expect(data.adminUnits).toEqual(original.adminUnits);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
