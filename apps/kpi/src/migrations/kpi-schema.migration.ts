import { quotedSchema } from '@ioc/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The kpi schema: the catalog and city code (seeded from the city's data), the projection (aggregates per KPI,
 * dimension value and period bucket, their percentile histograms, time-share entity states) and the
 * publication state of each key (dirty flag and last publish, for coalescing). Reads the schema from the data
 * source, so tests and the rebuild can use other schemas.
 */
export class KpiSchema1796000000000 implements MigrationInterface {
  readonly name = 'KpiSchema1796000000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    await runner.query(`
      CREATE TABLE ${s}.city (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        code text NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE ${s}.kpi_definitions (
        code text PRIMARY KEY,
        position integer NOT NULL,
        definition jsonb NOT NULL
      )`);
    const key = `kpi_code text NOT NULL, dimension_kind text NOT NULL, dimension_code text NOT NULL,
      period text NOT NULL, period_start timestamptz NOT NULL`;
    const pk = 'kpi_code, dimension_kind, dimension_code, period, period_start';
    await runner.query(`
      CREATE TABLE ${s}.aggregates (
        ${key},
        period_end timestamptz NOT NULL,
        num double precision NOT NULL DEFAULT 0,
        den double precision NOT NULL DEFAULT 0,
        total double precision NOT NULL DEFAULT 0,
        n bigint NOT NULL DEFAULT 0,
        samples bigint NOT NULL DEFAULT 0,
        late bigint NOT NULL DEFAULT 0,
        latest_value double precision,
        latest_at timestamptz,
        latest_event_id text,
        PRIMARY KEY (${pk})
      )`);
    // Ranking and current values read one KPI's buckets of one period start across dimension values.
    await runner.query(
      `CREATE INDEX aggregates_ranking_idx ON ${s}.aggregates (kpi_code, period, period_start, dimension_kind)`,
    );
    await runner.query(`
      CREATE TABLE ${s}.histogram_buckets (
        ${key},
        bucket integer NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (${pk}, bucket)
      )`);
    await runner.query(`
      CREATE TABLE ${s}.entities (
        kpi_code text NOT NULL,
        entity_id text NOT NULL,
        state text NOT NULL,
        since timestamptz NOT NULL,
        dimensions jsonb NOT NULL,
        PRIMARY KEY (kpi_code, entity_id)
      )`);
    await runner.query(`
      CREATE TABLE ${s}.publications (
        ${key},
        period_end timestamptz NOT NULL,
        dirty boolean NOT NULL DEFAULT true,
        published_at timestamptz,
        PRIMARY KEY (${pk})
      )`);
    await runner.query(`CREATE INDEX publications_dirty_idx ON ${s}.publications (published_at) WHERE dirty`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    for (const table of [
      'publications',
      'entities',
      'histogram_buckets',
      'aggregates',
      'kpi_definitions',
      'city',
    ])
      await runner.query(`DROP TABLE ${s}.${table}`);
  }
}
