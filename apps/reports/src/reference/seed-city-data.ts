import { loadCityData } from '@ioc/reference-data';
import type { DataSource } from 'typeorm';
import { ReferenceDataRepository, type SeedCounts } from './reference-data.repository';

/** Loads a city's folder (checked by `loadCityData`) into the reports schema in one transaction. */
export async function seedCityData(
  dataSource: DataSource,
  dir: string,
): Promise<SeedCounts & { city: string }> {
  const data = await loadCityData(dir);
  const counts = await dataSource.transaction((tx) => new ReferenceDataRepository().upsert(tx, data));
  return { city: data.city.code, ...counts };
}
