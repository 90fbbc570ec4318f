import { quotedSchema } from '@ioc/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const KEY = 'kpi_code, dimension_kind, dimension_code, period, period_start';
/** The zero bucket's index before this migration and after it (histogram.ts, ZERO): kept dense. */
const OLD_ZERO = -100_000;
const NEW_ZERO = -1047;

/**
 * A percentile's histogram moves from a row per bucket into its aggregate's row, as an int8[] subscripted by
 * bucket index (docs/architecture.md, "KPI service"): the fold writes one row per aggregate, not one per
 * bucket it touches. `histogram_add` adds one such array into another, bucket by bucket; an array's bounds are
 * its lowest and highest buckets, and the buckets between that hold nothing are NULL (a bit each).
 */
export class KpiHistogramInRow1796400000000 implements MigrationInterface {
  readonly name = 'KpiHistogramInRow1796400000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    await runner.query(`
      CREATE FUNCTION ${s}.histogram_add(stored int8[], delta int8[]) RETURNS int8[]
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      BEGIN
        IF delta IS NULL OR cardinality(delta) = 0 THEN RETURN stored; END IF;
        IF stored IS NULL OR cardinality(stored) = 0 THEN RETURN delta; END IF;
        FOR i IN array_lower(delta, 1) .. array_upper(delta, 1) LOOP
          IF delta[i] IS NOT NULL THEN stored[i] := coalesce(stored[i], 0) + delta[i]; END IF;
        END LOOP;
        RETURN stored;
      END $$`);
    await runner.query(`ALTER TABLE ${s}.aggregates ADD COLUMN histogram int8[]`);
    await runner.query(
      `CREATE AGGREGATE ${s}.histogram_sum(int8[]) (SFUNC = ${s}.histogram_add, STYPE = int8[])`,
    );
    await runner.query(`
      UPDATE ${s}.aggregates a SET histogram = h.counts
      FROM (
        SELECT ${KEY}, ${s}.histogram_sum(format('[%1$s:%1$s]={%2$s}',
          CASE WHEN bucket = ${OLD_ZERO} THEN ${NEW_ZERO} ELSE bucket END, n)::int8[]) AS counts
        FROM ${s}.histogram_buckets GROUP BY ${KEY}
      ) h
      WHERE (${prefixed('a')}) = (${prefixed('h')})`);
    await runner.query(`DROP AGGREGATE ${s}.histogram_sum(int8[])`);
    await runner.query(`DROP TABLE ${s}.histogram_buckets`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    await runner.query(`
      CREATE TABLE ${s}.histogram_buckets (
        kpi_code text NOT NULL, dimension_kind text NOT NULL, dimension_code text NOT NULL, period text NOT NULL,
        period_start timestamptz NOT NULL, bucket integer NOT NULL, n bigint NOT NULL,
        PRIMARY KEY (${KEY}, bucket)
      ) WITH (fillfactor = 70)`);
    await runner.query(`
      INSERT INTO ${s}.histogram_buckets
      SELECT ${prefixed('a')}, CASE WHEN b.bucket = ${NEW_ZERO} THEN ${OLD_ZERO} ELSE b.bucket END, b.n
      FROM ${s}.aggregates a
      CROSS JOIN LATERAL (
        SELECT array_lower(a.histogram, 1) + o - 1 AS bucket, v AS n
        FROM unnest(a.histogram) WITH ORDINALITY AS u(v, o)
      ) b
      WHERE b.n IS NOT NULL`);
    await runner.query(`ALTER TABLE ${s}.aggregates DROP COLUMN histogram`);
    await runner.query(`DROP FUNCTION ${s}.histogram_add(int8[], int8[])`);
  }
}

function prefixed(alias: string): string {
  return KEY.split(', ')
    .map((column) => `${alias}.${column}`)
    .join(', ');
}
