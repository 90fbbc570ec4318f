import { bootstrapOrExit, loadConfig } from '@ioc/observability';
import type { DataSource, DataSourceOptions } from 'typeorm';
import { databaseEnv } from './database.env';
import { createDataSource } from './data-source.factory';
import { runMigrations } from './run-migrations';

/** What an app's database command (`cli/migrate.ts`, `cli/seed.ts`) passes to {@link databaseCommand}. */
export interface DatabaseCommandOptions {
  /** The app's schema default, overridable with DB_SCHEMA as in the app's own config. */
  defaultSchema: string;
  migrations: NonNullable<DataSourceOptions['migrations']>;
  /** Work to do once the schema is migrated; returns the line to print. Without it, the command only migrates. */
  task?: (dataSource: DataSource, schema: string) => Promise<string>;
}

/**
 * Body of an app's database commands, run by `npm start` before the service: reads DATABASE_URL and
 * DB_SCHEMA, applies pending migrations under the advisory lock, runs the task, prints one line and exits;
 * a bad variable or a failure exits 1 with a message naming it.
 */
export function databaseCommand({ defaultSchema, migrations, task }: DatabaseCommandOptions): Promise<void> {
  return bootstrapOrExit(async () => {
    const env = loadConfig(databaseEnv(defaultSchema));
    const dataSource = createDataSource({
      url: env.DATABASE_URL,
      schema: env.DB_SCHEMA,
      migrations,
      applicationName: `cli:${env.DB_SCHEMA}`,
    });
    try {
      const applied = await runMigrations(dataSource);
      const line = task
        ? await task(dataSource, env.DB_SCHEMA)
        : `${env.DB_SCHEMA}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}`;
      process.stdout.write(`${line}\n`);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
  });
}
