import { createDataSource, runMigrations } from '@ioc/database';
import { bootstrapOrExit, envUrl, loadConfig } from '@ioc/observability';
import { z } from 'zod';
import { intakeMigrations } from '../migrations';
import { seedReferenceData } from '../registry/reference-data.seeder';

// `npm start` runs this after the migrations: the city's cameras and road segments into the intake
// schema. Idempotent, so every start may run it; a bad data folder exits 1 naming every problem.
void bootstrapOrExit(async () => {
  const env = loadConfig(
    z.object({
      DATABASE_URL: envUrl(['postgres:', 'postgresql:']),
      DB_SCHEMA: z.string().default('intake'),
      CITY_DATA_DIR: z.string().min(1),
    }),
  );
  const dataSource = createDataSource({
    url: env.DATABASE_URL,
    schema: env.DB_SCHEMA,
    migrations: intakeMigrations,
    applicationName: `seed:${env.DB_SCHEMA}`,
  });
  try {
    await runMigrations(dataSource);
    const report = await seedReferenceData(dataSource, env.CITY_DATA_DIR);
    process.stdout.write(
      `${env.DB_SCHEMA}: ${report.cameras} cameras, ${report.roadSegments} road segments and ${report.agencies} agencies seeded\n`,
    );
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
});
