import { randomBytes } from 'node:crypto';

/**
 * What test/global-setup.mjs found or started, passed to the workers through the environment.
 * Every integration spec isolates itself: its own Postgres schema and its own topic suffix,
 * so two runs (or two files in one run) never see each other's data.
 */
export function kafkaBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run integration specs through `npm test`');
  return brokers.split(',').map((b) => b.trim());
}

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run integration specs through `npm test`');
  return url;
}

/** A short random token, safe in Postgres identifiers and Kafka topic names. */
export function uniqueSuffix(): string {
  return `${process.env.IOC_TEST_RUN_ID ?? 'local'}_${randomBytes(3).toString('hex')}`;
}

/** A Postgres schema name unique to this spec file and run, e.g. `t_outbox_r1a2b3_9f8e7d`. */
export function uniqueSchema(prefix: string): string {
  return `t_${prefix}_${uniqueSuffix()}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
