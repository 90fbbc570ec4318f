import type { KpiDimensionKind, KpiPeriod } from '@ioc/contracts';
import { qualifiedTable, type Tx } from '@ioc/database';
import type { AggregateKey, AggregateState } from '../computation/aggregate';
import type { Dimension } from '../computation/fold';

/** A stored aggregate with its key. */
export type StoredAggregate = AggregateKey & AggregateState;

interface AggregateRow {
  kpi_code: string;
  dimension_kind: KpiDimensionKind;
  dimension_code: string;
  period: KpiPeriod;
  period_start: Date;
  period_end: Date;
  num: number;
  den: number;
  total: number;
  n: string;
  samples: string;
  late: string;
  latest_value: number | null;
  latest_at: Date | null;
  latest_event_id: string | null;
  histogram: [number, number][] | null;
}

const COLUMNS = `a.kpi_code, a.dimension_kind, a.dimension_code, a.period, a.period_start, a.period_end, a.num,
  a.den, a.total, a.n, a.samples, a.late, a.latest_value, a.latest_at, a.latest_event_id,
  (SELECT jsonb_agg(jsonb_build_array(array_lower(a.histogram, 1) + h.i - 1, h.n))
    FROM unnest(a.histogram) WITH ORDINALITY AS h(n, i) WHERE h.n IS NOT NULL) AS histogram`;

/** A page position among the values of one period start: after this KPI and dimension value. */
export interface ValuesAfter {
  kpiCode: string;
  dimensionKind: string;
  dimensionCode: string;
}

/** Reads of the projection: aggregates by key, by bucket, by history, entity states. */
export class ValuesRepository {
  /** The aggregates of `keys` that exist. */
  async byKeys(tx: Tx, keys: readonly AggregateKey[]): Promise<StoredAggregate[]> {
    if (keys.length === 0) return [];
    const rows = await tx.query<AggregateRow[]>(
      `SELECT ${COLUMNS} FROM ${qualifiedTable(tx, 'aggregates')} a
       JOIN jsonb_to_recordset($1::jsonb) AS r(kpi_code text, dimension_kind text, dimension_code text,
         period text, period_start timestamptz)
       USING (kpi_code, dimension_kind, dimension_code, period, period_start)`,
      [
        JSON.stringify(
          keys.map((k) => ({
            kpi_code: k.kpiCode,
            dimension_kind: k.dimensionKind,
            dimension_code: k.dimensionCode,
            period: k.period,
            period_start: k.periodStart.toISOString(),
          })),
        ),
      ],
    );
    return rows.map(toAggregate);
  }

  /**
   * The level of a gauge at each key: the sum of its changes in the buckets of the key's KPI, dimension value
   * and period up to the key's bucket (absent when none was ever booked there).
   */
  async levels(tx: Tx, keys: readonly AggregateKey[]): Promise<(number | undefined)[]> {
    if (keys.length === 0) return [];
    const rows = await tx.query<{ i: string; level: number | null }[]>(
      `SELECT r.i, (SELECT sum(a.total) FROM ${qualifiedTable(tx, 'aggregates')} a
         WHERE a.kpi_code = r.kpi_code AND a.dimension_kind = r.dimension_kind
           AND a.dimension_code = r.dimension_code AND a.period = r.period
           AND a.period_start <= r.period_start) AS level
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
         WITH ORDINALITY AS r(kpi_code, dimension_kind, dimension_code, period, period_start, i)`,
      [
        keys.map((k) => k.kpiCode),
        keys.map((k) => k.dimensionKind),
        keys.map((k) => k.dimensionCode),
        keys.map((k) => k.period),
        keys.map((k) => k.periodStart.toISOString()),
      ],
    );
    const levels: (number | undefined)[] = keys.map(() => undefined);
    for (const row of rows) levels[Number(row.i) - 1] = row.level ?? undefined;
    return levels;
  }

  /** The aggregates of `kpiCode` in one dimension value whose bucket of `period` starts in `[from, to)`. */
  async range(
    tx: Tx,
    query: { kpiCode: string; dimension: Dimension; period: KpiPeriod; from: Date; to: Date },
  ): Promise<StoredAggregate[]> {
    const rows = await tx.query<AggregateRow[]>(
      `SELECT ${COLUMNS} FROM ${qualifiedTable(tx, 'aggregates')} a
       WHERE a.kpi_code = $1 AND a.dimension_kind = $2 AND a.dimension_code = $3 AND a.period = $4
         AND a.period_start >= $5 AND a.period_start < $6
       ORDER BY a.period_start`,
      [query.kpiCode, query.dimension[0], query.dimension[1], query.period, query.from, query.to],
    );
    return rows.map(toAggregate);
  }

  /** The newest `limit` buckets of one KPI, dimension value and period, starting before `before`. */
  async history(
    tx: Tx,
    query: { kpiCode: string; dimension: Dimension; period: KpiPeriod; before: Date; limit: number },
  ): Promise<StoredAggregate[]> {
    const rows = await tx.query<AggregateRow[]>(
      `SELECT ${COLUMNS} FROM ${qualifiedTable(tx, 'aggregates')} a
       WHERE a.kpi_code = $1 AND a.dimension_kind = $2 AND a.dimension_code = $3 AND a.period = $4
         AND a.period_start < $5
       ORDER BY a.period_start DESC LIMIT $6`,
      [query.kpiCode, query.dimension[0], query.dimension[1], query.period, query.before, query.limit],
    );
    return rows.map(toAggregate);
  }

  /**
   * The keys (aggregates) stored for buckets of `period` starting at `start`, per KPI of `kpiCodes`, optionally
   * of one dimension kind or value, in key order after `after`.
   */
  async keysAt(
    tx: Tx,
    query: {
      kpiCodes: readonly string[];
      period: KpiPeriod;
      start: Date;
      dimensionKind?: string;
      dimensionCode?: string;
      after?: ValuesAfter;
      limit: number;
    },
  ): Promise<AggregateKey[]> {
    const rows = await tx.query<AggregateRow[]>(
      `SELECT a.kpi_code, a.dimension_kind, a.dimension_code, a.period, a.period_start, a.period_end
       FROM ${qualifiedTable(tx, 'aggregates')} a
       WHERE a.kpi_code = ANY($1::text[]) AND a.period = $2 AND a.period_start = $3
         AND ($4::text IS NULL OR a.dimension_kind = $4) AND ($5::text IS NULL OR a.dimension_code = $5)
         AND ($6::text IS NULL OR (a.kpi_code, a.dimension_kind, a.dimension_code) > ($6, $7, $8))
       ORDER BY a.kpi_code, a.dimension_kind, a.dimension_code LIMIT $9`,
      [
        query.kpiCodes,
        query.period,
        query.start,
        query.dimensionKind ?? null,
        query.dimensionCode ?? null,
        query.after?.kpiCode ?? null,
        query.after?.dimensionKind ?? null,
        query.after?.dimensionCode ?? null,
        query.limit,
      ],
    );
    return rows.map((r) => ({
      kpiCode: r.kpi_code,
      dimensionKind: r.dimension_kind,
      dimensionCode: r.dimension_code,
      period: r.period,
      periodStart: r.period_start,
      periodEnd: r.period_end,
    }));
  }

  /** Time-share entities of `kpiCode` that count in `dimension`, with their open state. */
  async entities(
    tx: Tx,
    kpiCodes: readonly string[],
  ): Promise<{ kpiCode: string; state: string; since: Date; dimensions: Dimension[] }[]> {
    if (kpiCodes.length === 0) return [];
    const rows = await tx.query<{ kpi_code: string; state: string; since: Date; dimensions: Dimension[] }[]>(
      `SELECT kpi_code, state, since, dimensions FROM ${qualifiedTable(tx, 'entities')}
       WHERE kpi_code = ANY($1::text[])`,
      [kpiCodes],
    );
    return rows.map((r) => ({
      kpiCode: r.kpi_code,
      state: r.state,
      since: r.since,
      dimensions: r.dimensions,
    }));
  }
}

function toAggregate(r: AggregateRow): StoredAggregate {
  return {
    kpiCode: r.kpi_code,
    dimensionKind: r.dimension_kind,
    dimensionCode: r.dimension_code,
    period: r.period,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    num: r.num,
    den: r.den,
    total: r.total,
    n: Number(r.n),
    samples: Number(r.samples),
    late: Number(r.late),
    ...(r.latest_value === null || r.latest_at === null
      ? {}
      : { latest: { value: r.latest_value, at: r.latest_at, eventId: r.latest_event_id ?? '' } }),
    histogram: new Map((r.histogram ?? []).map(([bucket, n]) => [bucket, Number(n)])),
  };
}
