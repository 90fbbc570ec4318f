import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CITY_DATA_FILES, type CityData, loadCityData } from '@ioc/reference-data';
import { generateFleet } from './fleet';

/**
 * Writes a copy of the city folder `from` into `to` with a generated fleet of `cameras` cameras (and their road
 * segments), then loads it with the reference-data loader the services' seeds use, so a folder it returns is one
 * every service accepts. Resolves to the loaded data.
 */
export async function writeFleetCity(
  from: string,
  to: string,
  cameras: number,
  seed: number,
  at: Date,
): Promise<CityData> {
  const data = await loadCityData(from);
  const fleet = generateFleet(data, cameras, seed, at);
  await mkdir(to, { recursive: true });
  await cp(from, to, { recursive: true });
  await writeFile(path.join(to, CITY_DATA_FILES.cameras), `${JSON.stringify(fleet.cameras, null, 2)}\n`);
  await writeFile(
    path.join(to, CITY_DATA_FILES.roadSegments),
    `${JSON.stringify({ type: 'FeatureCollection', features: fleet.segments }, null, 2)}\n`,
  );
  return loadCityData(to);
}
