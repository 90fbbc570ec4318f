import { bootstrapOrExit, envUrl, loadConfig } from '@ioc/observability';
import type { DataSourceOptions } from 'typeorm';
import { z } from 'zod';
import { createDataSource } from './data-source.factory';
import { runMigrations } from './run-migrations';

/** What an app's `cli/migrate.ts` passes to {@link migrateOrExit}. */
export interface MigrateCliOptions {
  /** The app's schema default, overridable with DB_SCHEMA as in the app's own config. */
  defaultSchema: string;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

/**
 * Body of an app's `cli/migrate.ts`, run by `npm start` before the service: reads DATABASE_URL and
 * DB_SCHEMA, applies pending migrations under the advisory lock, prints what it applied and exits;
 * a bad variable or a failed migration exits 1 with a message naming it.
 */
export function migrateOrExit({ defaultSchema, migrations }: MigrateCliOptions): Promise<void> {
  return bootstrapOrExit(async () => {
    const env = loadConfig(
      z.object({
        DATABASE_URL: envUrl(['postgres:', 'postgresql:']),
        DB_SCHEMA: z.string().default(defaultSchema),
      }),
    );
    const dataSource = createDataSource({
      url: env.DATABASE_URL,
      schema: env.DB_SCHEMA,
      migrations,
      applicationName: `migrate:${env.DB_SCHEMA}`,
    });
    try {
      const applied = await runMigrations(dataSource);
      process.stdout.write(
        `${env.DB_SCHEMA}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}\n`,
      );
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
  });
}
