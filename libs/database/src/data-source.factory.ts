import { DataSource, type DataSourceOptions } from 'typeorm';
import { assertSchemaName } from './schema';

/** How a service reaches its own Postgres schema. */
export interface CreateDataSourceOptions {
  /** `postgres://user:pass@host:port/db` */
  url: string;
  /** The one schema this service owns (one Postgres, one schema per service: docs/architecture.md, "Event flow"). */
  schema: string;
  entities?: DataSourceOptions['entities'];
  /** Migration classes; write them schema-agnostic with {@link quotedSchema}. */
  migrations?: DataSourceOptions['migrations'];
  /** Shown in `pg_stat_activity`, so an operator can tell the services' connections apart. */
  applicationName?: string;
  /** Maximum connections in the pool (node-postgres default: 10). */
  poolSize?: number;
}

/**
 * A TypeORM data source bound to one schema. Never synchronizes and never runs migrations on its own:
 * migrations run through {@link runMigrations}, which serialises concurrent starts with an advisory lock.
 */
export function createDataSource(options: CreateDataSourceOptions): DataSource {
  const schema = assertSchemaName(options.schema);
  const dataSourceOptions: DataSourceOptions = {
    type: 'postgres',
    url: options.url,
    schema,
    entities: options.entities ?? [],
    migrations: options.migrations ?? [],
    // The migrations table lives in the service's schema (TypeORM builds its name with `schema`), so
    // each service, and each test schema, has its own migration history.
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    applicationName: options.applicationName,
    poolSize: options.poolSize,
    // docs/architecture.md, "Time": store UTC. `now()` and timestamptz rendering follow the session zone, so pin it.
    extra: { options: '-c TimeZone=UTC' },
    // gen_random_uuid() is built into Postgres ≥ 13, so the service needs no CREATE EXTENSION right.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
  };
  return new DataSource(dataSourceOptions);
}
