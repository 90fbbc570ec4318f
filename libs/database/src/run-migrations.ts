import type { DataSource } from 'typeorm';
import { quotedSchema, schemaOf } from './schema';

// Advisory locks are database-wide; the two-key form (namespace, schema) keeps services apart.
const MIGRATIONS_LOCK_NAMESPACE = 'ioc.migrations';

/**
 * Creates the data source's schema if missing and runs its pending migrations, holding a Postgres
 * advisory lock keyed by the schema so that several instances starting at once apply each migration
 * exactly once (TypeORM itself takes no lock). Initializes the data source if needed.
 * @returns the names of the migrations this call applied, in order (empty when up to date)
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const schema = schemaOf(dataSource);
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    // Session-level lock on a connection of its own: TypeORM runs the migrations on another pooled
    // connection, and waiting instances block here until the winner has committed.
    await lockHolder.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [
      MIGRATIONS_LOCK_NAMESPACE,
      schema,
    ]);
    try {
      // Under the lock too: concurrent CREATE SCHEMA IF NOT EXISTS can still fail on pg_namespace's
      // unique index.
      await lockHolder.query(`CREATE SCHEMA IF NOT EXISTS ${quotedSchema(dataSource)}`);
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      return applied.map((migration) => migration.name);
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [
        MIGRATIONS_LOCK_NAMESPACE,
        schema,
      ]);
    }
  } finally {
    await lockHolder.release();
  }
}
