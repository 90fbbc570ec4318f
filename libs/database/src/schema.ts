import { escapeIdentifier } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { DatabaseConfigError } from './database.errors';

// Lower-case only so the name never needs case-sensitive quoting by hand in psql, and at most 63 bytes
// (Postgres NAMEDATALEN - 1), so the identifier is never silently truncated.
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Checks that `schema` is a plain Postgres identifier (lower-case letters, digits, `_`, ≤ 63 bytes).
 * @throws DatabaseConfigError `DATABASE.INVALID_SCHEMA_NAME`
 */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new DatabaseConfigError(
      'DATABASE.INVALID_SCHEMA_NAME',
      `schema name must match ${SCHEMA_NAME.source}, got ${JSON.stringify(schema)}`,
    );
  }
  return schema;
}

type HasConnection = DataSource | EntityManager | QueryRunner;

function dataSourceOf(from: HasConnection): DataSource {
  return 'connection' in from ? from.connection : from;
}

/**
 * The Postgres schema a data source (or a manager/query runner of it) is bound to. Migrations and raw SQL
 * read it from here so that they work in any schema, including the random ones tests use.
 * @throws DatabaseConfigError `DATABASE.SCHEMA_MISSING` when the data source was built without a schema
 */
export function schemaOf(from: HasConnection): string {
  const options = dataSourceOf(from).options;
  const schema = 'schema' in options ? options.schema : undefined;
  if (!schema) {
    throw new DatabaseConfigError('DATABASE.SCHEMA_MISSING', 'the data source has no `schema` option');
  }
  return schema;
}

/** `"schema"."table"` for raw SQL, quoted as Postgres requires, in the schema of `from`. */
export function qualifiedTable(from: HasConnection, table: string): string {
  return `${escapeIdentifier(schemaOf(from))}.${escapeIdentifier(table)}`;
}

/** `"schema"`, quoted, for DDL in schema-agnostic migrations. */
export function quotedSchema(from: HasConnection): string {
  return escapeIdentifier(schemaOf(from));
}
