import path from 'node:path';
import { databaseCommand } from '@ioc/database';
import { loadConfig } from '@ioc/observability';
import { z } from 'zod';
import { reportsMigrations } from '../migrations';
import { seedCityData } from '../reference/seed-city-data';

// `npm run seed` (and `npm start`) loads a city's folder into the reports schema: categories, agencies,
// administrative units and routing rules. Upserts, so running it twice changes nothing.
void databaseCommand({
  defaultSchema: 'reports',
  migrations: reportsMigrations,
  task: async (dataSource, schema) => {
    const { CITY_DATA_DIR } = loadConfig(
      z.object({ CITY_DATA_DIR: z.string().min(1).default('data/cities/hai-phong') }),
    );
    const counts = await seedCityData(dataSource, path.resolve(CITY_DATA_DIR));
    return (
      `${schema}: seeded ${counts.city}: ${counts.categories} categories, ${counts.agencies} agencies, ` +
      `${counts.adminUnits} administrative units, ${counts.routingRules} routing rules`
    );
  },
});
