import type { KpiDimensionKind } from '@ioc/contracts';
import { pgArrayLiteral, qualifiedTable, type Tx } from '@ioc/database';
import type { AggregateDelta, AggregateKey } from './aggregate';
import type { Dimension } from './fold';
import type { GaugeState } from './gauge';
import type { EntityState } from './time-share';

/**
 * The projection's writes, set-wise: one statement per table for a whole chunk's changes, added to what is
 * stored (`ON CONFLICT … DO UPDATE SET x = x + EXCLUDED.x`), never read back and recomputed.
 */
export class ProjectionRepository {
  /**
   * Adds the deltas (in key order, so concurrent chunks lock rows in one order), histograms bucket by bucket in
   * their row, and marks their keys dirty for the publisher (composites over changed KPIs included by the caller)
   * in the same row write.
   */
  async apply(tx: Tx, deltas: readonly AggregateDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    // Column arrays through unnest: no per-row objects or JSON on either side, the hot path of the fold.
    // Written as array literals here (docs/architecture.md, "Set-wise writes").
    await tx.query(
      `INSERT INTO ${qualifiedTable(tx, 'aggregates')} AS a (kpi_code, dimension_kind, dimension_code, period,
         period_start, period_end, num, den, total, n, samples, late, latest_value, latest_at, latest_event_id,
         histogram, dirty)
       SELECT k, dk, dc, p, ps, pe, num, den, total, n, samples, late, lv, la, le, h::int8[], true
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
         $7::float8[], $8::float8[], $9::float8[], $10::bigint[], $11::bigint[], $12::bigint[], $13::float8[],
         $14::timestamptz[], $15::text[], $16::text[])
         AS u(k, dk, dc, p, ps, pe, num, den, total, n, samples, late, lv, la, le, h)
       ON CONFLICT (kpi_code, dimension_kind, dimension_code, period, period_start) DO UPDATE SET
         num = a.num + EXCLUDED.num, den = a.den + EXCLUDED.den, total = a.total + EXCLUDED.total,
         n = a.n + EXCLUDED.n, samples = a.samples + EXCLUDED.samples, late = a.late + EXCLUDED.late,
         latest_value = CASE WHEN ${newerLatest} THEN EXCLUDED.latest_value ELSE a.latest_value END,
         latest_event_id = CASE WHEN ${newerLatest} THEN EXCLUDED.latest_event_id ELSE a.latest_event_id END,
         latest_at = CASE WHEN ${newerLatest} THEN EXCLUDED.latest_at ELSE a.latest_at END,
         histogram = CASE WHEN EXCLUDED.histogram IS NULL THEN a.histogram
           ELSE ${qualifiedTable(tx, 'histogram_add')}(a.histogram, EXCLUDED.histogram) END,
         dirty = true`,
      [
        ...keyColumns(deltas),
        deltas.map((d) => iso(d.periodEnd)),
        deltas.map((d) => d.num),
        deltas.map((d) => d.den),
        deltas.map((d) => d.total),
        deltas.map((d) => d.n),
        deltas.map((d) => d.samples),
        deltas.map((d) => d.late),
        deltas.map((d) => d.latest?.value ?? null),
        deltas.map((d) => (d.latest ? d.latest.at.toISOString() : null)),
        deltas.map((d) => d.latest?.eventId ?? null),
        deltas.map((d) => histogramLiteral(d.histogram)),
      ].map(pgArrayLiteral),
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

/** Locks and reads the states of gauge entities. */
export async function lockGauges(
  tx: Tx,
  keys: readonly { kpiCode: string; entityId: string }[],
): Promise<Map<string, GaugeState>> {
  if (keys.length === 0) return new Map();
  const rows = await tx.query<
    {
      kpi_code: string;
      entity_id: string;
      at: Date;
      event_id: string;
      counted: boolean;
      dimensions: Dimension[];
    }[]
  >(
    `SELECT g.kpi_code, g.entity_id, g.at, g.event_id, g.counted, g.dimensions
     FROM ${qualifiedTable(tx, 'gauge_entities')} g
     JOIN unnest($1::text[], $2::text[]) AS r(kpi_code, entity_id)
       ON g.kpi_code = r.kpi_code AND g.entity_id = r.entity_id
     ORDER BY g.kpi_code, g.entity_id FOR UPDATE OF g`,
    [keys.map((k) => k.kpiCode), keys.map((k) => k.entityId)],
  );
  return new Map(
    rows.map((r) => [
      entityKey(r.kpi_code, r.entity_id),
      {
        kpiCode: r.kpi_code,
        entityId: r.entity_id,
        at: r.at,
        eventId: r.event_id,
        counted: r.counted,
        dimensions: r.dimensions,
      },
    ]),
  );
}

/** Stores gauge entity states (each newer than the stored one, as the caller checked under the lock). */
export async function saveGauges(tx: Tx, states: readonly GaugeState[]): Promise<void> {
  if (states.length === 0) return;
  await tx.query(
    `INSERT INTO ${qualifiedTable(tx, 'gauge_entities')} (kpi_code, entity_id, at, event_id, counted, dimensions)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::boolean[], $6::jsonb[])
     ON CONFLICT (kpi_code, entity_id) DO UPDATE SET at = EXCLUDED.at, event_id = EXCLUDED.event_id,
       counted = EXCLUDED.counted, dimensions = EXCLUDED.dimensions`,
    [
      states.map((s) => s.kpiCode),
      states.map((s) => s.entityId),
      states.map((s) => s.at.toISOString()),
      states.map((s) => s.eventId),
      states.map((s) => s.counted),
      states.map((s) => JSON.stringify(s.dimensions)),
    ],
  );
}

export function entityKey(kpiCode: string, entityId: string): string {
  return `${kpiCode}\u0000${entityId}`;
}

// The stored value stays unless the new one is newer, or as new with a larger event id: order never matters.
const newerLatest = `EXCLUDED.latest_at IS NOT NULL AND (a.latest_at IS NULL OR EXCLUDED.latest_at > a.latest_at
  OR (EXCLUDED.latest_at = a.latest_at AND EXCLUDED.latest_event_id > a.latest_event_id))`;

/** The key's columns, one array each: kpi_code, dimension_kind, dimension_code, period, period_start. */
function keyColumns(keys: readonly AggregateKey[]): [string[], string[], string[], string[], string[]] {
  return [
    keys.map((k) => k.kpiCode),
    keys.map((k) => k.dimensionKind),
    keys.map((k) => k.dimensionCode),
    keys.map((k) => k.period),
    keys.map((k) => iso(k.periodStart)),
  ];
}

/**
 * A histogram as an int8[] literal subscripted by bucket, from its lowest bucket to its highest, the buckets
 * between that hold nothing NULL: `[3:5]={2,NULL,1}`. The stored histogram has the same shape (histogram_add).
 */
export function histogramLiteral(histogram: ReadonlyMap<number, number>): string | null {
  if (histogram.size === 0) return null;
  let low = Infinity;
  let high = -Infinity;
  for (const index of histogram.keys()) {
    if (index < low) low = index;
    if (index > high) high = index;
  }
  const slots = new Array<string>(high - low + 1).fill('NULL');
  for (const [index, n] of histogram) slots[index - low] = String(n);
  return `[${low}:${high}]={${slots.join(',')}}`;
}

const isoCache = new Map<number, string>();

/** A bucket bound as ISO text: the same few bounds recur in every chunk, so they are formatted once. */
function iso(date: Date): string {
  const ms = date.getTime();
  let text = isoCache.get(ms);
  if (text === undefined) {
    if (isoCache.size >= 100_000) isoCache.clear();
    text = date.toISOString();
    isoCache.set(ms, text);
  }
  return text;
}
