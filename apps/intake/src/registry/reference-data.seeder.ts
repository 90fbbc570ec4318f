import { loadCityData } from '@ioc/reference-data';
import type { DataSource } from 'typeorm';
import { RegistryRepository } from './registry.repository';

/** What a seed run wrote. */
export interface SeedReport {
  cameras: number;
  roadSegments: number;
  agencies: number;
}

/**
 * Loads the city's cameras, road segments and agency ids (DESIGN: reference data is data with a loader) and upserts
 * them in one transaction; running it again changes nothing, and a city edit is applied in place.
 */
export async function seedReferenceData(dataSource: DataSource, cityDataDir: string): Promise<SeedReport> {
  const data = await loadCityData(cityDataDir);
  const repository = new RegistryRepository();
  await dataSource.transaction(async (manager) => {
    await repository.upsertCameras(manager, data.cameras);
    await repository.upsertSegments(manager, data.roadSegments);
    await repository.upsertAgencies(manager, data.agencies);
  });
  return {
    cameras: data.cameras.length,
    roadSegments: data.roadSegments.length,
    agencies: data.agencies.length,
  };
}
