import path from 'node:path';
import {
  databaseCommand,
  type DatabaseCommandOptions,
  type Tx,
  TypeOrmUnitOfWork,
  type UnitOfWork,
} from '@ioc/database';
import { loadConfig } from '@ioc/observability';
import { type CityData, cityDataEnv, loadCityData } from '@ioc/reference-data';

/** A service's reference-data repository: upserts what it keeps of a city's folder, returns counts by kind. */
export interface CityDataUpsert {
  upsert(tx: Tx, data: CityData): Promise<Record<string, number>>;
}

/** What {@link seedCityData} wrote. */
export interface SeedResult {
  city: string;
  counts: Record<string, number>;
}

/**
 * Loads a city's folder (checked by `loadCityData`: a bad folder fails naming every problem) and upserts it in one
 * transaction. Reference data is data with a loader, so another city changes the folder, not the code; running it
 * again changes nothing.
 */
export async function seedCityData(
  uow: UnitOfWork,
  dir: string,
  repository: CityDataUpsert,
): Promise<SeedResult> {
  const data = await loadCityData(dir);
  const counts = await uow.run((tx) => repository.upsert(tx, data));
  return { city: data.city.code, counts };
}

/**
 * Body of an app's `cli/seed.ts` (`npm run seed`, and `npm start` before the service): migrates the app's schema,
 * then seeds `CITY_DATA_DIR` (default `data/cities/hai-phong`) and prints one line of counts.
 */
export function citySeedCommand({
  repository,
  ...options
}: Omit<DatabaseCommandOptions, 'task'> & { repository: CityDataUpsert }): Promise<void> {
  return databaseCommand({
    ...options,
    task: async (dataSource, schema) => {
      const { CITY_DATA_DIR } = loadConfig(cityDataEnv);
      const { city, counts } = await seedCityData(
        new TypeOrmUnitOfWork(dataSource),
        path.resolve(CITY_DATA_DIR),
        repository,
      );
      const written = Object.entries(counts).map(
        ([kind, count]) => `${count} ${kind.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`)}`,
      );
      return `${schema}: seeded ${city}: ${written.join(', ')}`;
    },
  });
}
