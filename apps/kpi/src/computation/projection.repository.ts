import type { KpiDimensionKind } from '@ioc/contracts';
import { qualifiedTable, type Tx } from '@ioc/database';
import type { AggregateDelta, AggregateKey } from './aggregate';
import type { Dimension } from './fold';
import type { EntityState } from './time-share';

/**
 * The projection's writes, set-wise: one statement per table for a whole chunk's changes, added to what is
 * stored (`ON CONFLICT … DO UPDATE SET x = x + EXCLUDED.x`), never read back and recomputed.
 */
export class ProjectionRepository {
  /** Adds the deltas (in key order, so concurrent chunks lock rows in one order) and marks their keys dirty. */
  async apply(tx: Tx, deltas: readonly AggregateDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    await tx.query(
      `INSERT INTO ${qualifiedTable(tx, 'aggregates')} AS a (kpi_code, dimension_kind, dimension_code, period,
         period_start, period_end, num, den, total, n, samples, late, latest_value, latest_at, latest_event_id)
       SELECT r.kpi_code, r.dimension_kind, r.dimension_code, r.period, r.period_start, r.period_end, r.num, r.den,
         r.total, r.n, r.samples, r.late, r.latest_value, r.latest_at, r.latest_event_id
       FROM jsonb_to_recordset($1::jsonb) AS r(kpi_code text, dimension_kind text, dimension_code text,
         period text, period_start timestamptz, period_end timestamptz, num float8, den float8, total float8,
         n bigint, samples bigint, late bigint, latest_value float8, latest_at timestamptz, latest_event_id text)
       ON CONFLICT (kpi_code, dimension_kind, dimension_code, period, period_start) DO UPDATE SET
         num = a.num + EXCLUDED.num, den = a.den + EXCLUDED.den, total = a.total + EXCLUDED.total,
         n = a.n + EXCLUDED.n, samples = a.samples + EXCLUDED.samples, late = a.late + EXCLUDED.late,
         latest_value = CASE WHEN ${newerLatest} THEN EXCLUDED.latest_value ELSE a.latest_value END,
         latest_event_id = CASE WHEN ${newerLatest} THEN EXCLUDED.latest_event_id ELSE a.latest_event_id END,
         latest_at = CASE WHEN ${newerLatest} THEN EXCLUDED.latest_at ELSE a.latest_at END`,
      [JSON.stringify(deltas.map(aggregateRow))],
    );
    const buckets = deltas.flatMap((d) =>
      [...d.histogram].map(([bucket, n]) => ({ ...keyRow(d), bucket, n })),
    );
    if (buckets.length > 0)
      await tx.query(
        `INSERT INTO ${qualifiedTable(tx, 'histogram_buckets')} AS h (kpi_code, dimension_kind, dimension_code,
           period, period_start, bucket, n)
         SELECT r.kpi_code, r.dimension_kind, r.dimension_code, r.period, r.period_start, r.bucket, r.n
         FROM jsonb_to_recordset($1::jsonb) AS r(kpi_code text, dimension_kind text, dimension_code text,
           period text, period_start timestamptz, bucket int, n bigint)
         ON CONFLICT (kpi_code, dimension_kind, dimension_code, period, period_start, bucket)
         DO UPDATE SET n = h.n + EXCLUDED.n`,
        [JSON.stringify(buckets)],
      );
  }

  /** Marks keys dirty for the publisher (composites over changed KPIs included by the caller). */
  async markDirty(tx: Tx, keys: readonly AggregateKey[]): Promise<void> {
    if (keys.length === 0) return;
    await tx.query(
      `INSERT INTO ${qualifiedTable(tx, 'publications')} AS p (kpi_code, dimension_kind, dimension_code, period,
         period_start, period_end, dirty)
       SELECT r.kpi_code, r.dimension_kind, r.dimension_code, r.period, r.period_start, r.period_end, true
       FROM jsonb_to_recordset($1::jsonb) AS r(kpi_code text, dimension_kind text, dimension_code text,
         period text, period_start timestamptz, period_end timestamptz)
       ON CONFLICT (kpi_code, dimension_kind, dimension_code, period, period_start) DO UPDATE SET dirty = true
       WHERE NOT p.dirty`,
      [JSON.stringify(keys.map((k) => ({ ...keyRow(k), period_end: k.periodEnd.toISOString() })))],
    );
  }

  /** Locks and reads the states of time-share entities. */
  async lockEntities(
    tx: Tx,
    keys: readonly { kpiCode: string; entityId: string }[],
  ): Promise<Map<string, EntityState>> {
    if (keys.length === 0) return new Map();
    const rows = await tx.query<
      {
        kpi_code: string;
        entity_id: string;
        state: string;
        since: Date;
        dimensions: [KpiDimensionKind, string][];
      }[]
    >(
      `SELECT e.kpi_code, e.entity_id, e.state, e.since, e.dimensions
       FROM ${qualifiedTable(tx, 'entities')} e
       JOIN jsonb_to_recordset($1::jsonb) AS r(kpi_code text, entity_id text)
         ON e.kpi_code = r.kpi_code AND e.entity_id = r.entity_id
       ORDER BY e.kpi_code, e.entity_id FOR UPDATE OF e`,
      [JSON.stringify(keys.map((k) => ({ kpi_code: k.kpiCode, entity_id: k.entityId })))],
    );
    return new Map(
      rows.map((r) => [
        entityKey(r.kpi_code, r.entity_id),
        {
          kpiCode: r.kpi_code,
          entityId: r.entity_id,
          state: r.state,
          since: r.since,
          dimensions: r.dimensions as Dimension[],
        },
      ]),
    );
  }

  async saveEntities(tx: Tx, states: readonly EntityState[]): Promise<void> {
    if (states.length === 0) return;
    await tx.query(
      `INSERT INTO ${qualifiedTable(tx, 'entities')} (kpi_code, entity_id, state, since, dimensions)
       SELECT r.kpi_code, r.entity_id, r.state, r.since, r.dimensions
       FROM jsonb_to_recordset($1::jsonb) AS r(kpi_code text, entity_id text, state text, since timestamptz,
         dimensions jsonb)
       ON CONFLICT (kpi_code, entity_id) DO UPDATE SET state = EXCLUDED.state, since = EXCLUDED.since,
         dimensions = EXCLUDED.dimensions`,
      [
        JSON.stringify(
          states.map((s) => ({
            kpi_code: s.kpiCode,
            entity_id: s.entityId,
            state: s.state,
            since: s.since.toISOString(),
            dimensions: s.dimensions,
          })),
        ),
      ],
    );
  }
}

export function entityKey(kpiCode: string, entityId: string): string {
  return `${kpiCode}\u0000${entityId}`;
}

// The stored value stays unless the new one is newer, or as new with a larger event id: order never matters.
const newerLatest = `EXCLUDED.latest_at IS NOT NULL AND (a.latest_at IS NULL OR EXCLUDED.latest_at > a.latest_at
  OR (EXCLUDED.latest_at = a.latest_at AND EXCLUDED.latest_event_id > a.latest_event_id))`;

function keyRow(key: AggregateKey) {
  return {
    kpi_code: key.kpiCode,
    dimension_kind: key.dimensionKind,
    dimension_code: key.dimensionCode,
    period: key.period,
    period_start: key.periodStart.toISOString(),
  };
}

function aggregateRow(d: AggregateDelta) {
  return {
    ...keyRow(d),
    period_end: d.periodEnd.toISOString(),
    num: d.num,
    den: d.den,
    total: d.total,
    n: d.n,
    samples: d.samples,
    late: d.late,
    latest_value: d.latest?.value ?? null,
    latest_at: d.latest?.at.toISOString() ?? null,
    latest_event_id: d.latest?.eventId ?? null,
  };
}
