import path from 'node:path';
import { databaseCommand } from '@ioc/database';
import { loadConfig } from '@ioc/observability';
import { z } from 'zod';
import { intakeMigrations } from '../migrations';
import { seedReferenceData } from '../registry/reference-data.seeder';

// `npm run seed` (and `npm start`) loads the city's cameras and road segments into the intake schema.
// Idempotent, so every start may run it; a bad data folder exits 1 naming every problem.
void databaseCommand({
  defaultSchema: 'intake',
  migrations: intakeMigrations,
  task: async (dataSource, schema) => {
    const { CITY_DATA_DIR } = loadConfig(
      z.object({ CITY_DATA_DIR: z.string().min(1).default('data/cities/hai-phong') }),
    );
    const report = await seedReferenceData(dataSource, path.resolve(CITY_DATA_DIR));
    return `${schema}: ${report.cameras} cameras, ${report.roadSegments} road segments and ${report.agencies} agencies seeded`;
  },
});
