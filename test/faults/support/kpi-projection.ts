import { databaseUrl } from '@ioc/testing';
import { Client } from 'pg';

/** How the live KPI projection and a rebuild differ: rows on one side only or with other values. */
export interface ProjectionDiff {
  /** Events applied by one and not the other. */
  inbox: number;
  liveApplied: number;
  tables: Record<string, { rows: number; differ: number }>;
}

/**
 * Compares the KPI projection of schema `live` with the one of `rebuilt` (both quoted) in one snapshot of the
 * database. Sums of doubles folded in another order may differ in their last bits: compared to 1e-9, relative.
 * Which event id is `latest` among events of the same instant depends on their order, so it is left out, as the
 * kpi service's own rebuild spec does.
 */
export async function compareProjections(live: string, rebuilt: string): Promise<ProjectionDiff> {
  const client = new Client({ connectionString: databaseUrl() });
  await client.connect();
  const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0].n);
  /** Rows of `table` (columns `columns`) on one side only. */
  const exceptBoth = (table: string, columns: string) =>
    count(`SELECT COUNT(*) AS n FROM (
      (SELECT ${columns} FROM ${live}.${table} EXCEPT ALL SELECT ${columns} FROM ${rebuilt}.${table})
      UNION ALL
      (SELECT ${columns} FROM ${rebuilt}.${table} EXCEPT ALL SELECT ${columns} FROM ${live}.${table})) d`);
  const close = (column: string) =>
    `((l.${column} IS NULL) <> (r.${column} IS NULL) OR ABS(l.${column} - r.${column}) > 1e-9 * GREATEST(1, ABS(l.${column}), ABS(r.${column})))`;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const applied = (schema: string) =>
      `SELECT event_id FROM ${schema}.inbox WHERE consumer = 'kpi.sources' AND outcome = 'applied'`;
    const inbox = await count(`SELECT COUNT(*) AS n FROM (
      (${applied(live)} EXCEPT ${applied(rebuilt)}) UNION ALL (${applied(rebuilt)} EXCEPT ${applied(live)})) d`);
    const liveApplied = await count(`SELECT COUNT(*) AS n FROM (${applied(live)}) a`);
    const rows = (table: string) => count(`SELECT COUNT(*) AS n FROM ${live}.${table}`);
    const aggregates = await count(`SELECT COUNT(*) AS n FROM ${live}.aggregates l
      FULL JOIN ${rebuilt}.aggregates r USING (kpi_code, dimension_kind, dimension_code, period, period_start)
      WHERE l.kpi_code IS NULL OR r.kpi_code IS NULL OR l.period_end <> r.period_end OR l.n <> r.n
        OR l.samples <> r.samples OR l.late <> r.late OR l.latest_at IS DISTINCT FROM r.latest_at
        OR l.histogram IS DISTINCT FROM r.histogram
        OR ${['num', 'den', 'total', 'latest_value'].map(close).join(' OR ')}`);
    const tables = {
      aggregates: { rows: await rows('aggregates'), differ: aggregates },
      entities: { rows: await rows('entities'), differ: await exceptBoth('entities', '*') },
      gauge_entities: {
        rows: await rows('gauge_entities'),
        differ: await exceptBoth('gauge_entities', 'kpi_code, entity_id, at, counted, dimensions'),
      },
    };
    return { inbox, liveApplied, tables };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}
