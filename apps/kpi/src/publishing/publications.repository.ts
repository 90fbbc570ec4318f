import type { KpiDimensionKind, KpiPeriod } from '@ioc/contracts';
import { qualifiedTable, type Tx } from '@ioc/database';
import type { AggregateKey } from '../computation/aggregate';

/** The publisher's claims on dirty keys: the aggregates the fold marked dirty (see ProjectionRepository.apply). */
export class PublicationsRepository {
  /**
   * Locks up to `limit` dirty keys last published at or before `publishedBefore` (or never), oldest first;
   * SKIP LOCKED, so instances share the work.
   */
  async claimDue(tx: Tx, publishedBefore: Date, limit: number): Promise<AggregateKey[]> {
    const rows = await tx.query<
      {
        kpi_code: string;
        dimension_kind: KpiDimensionKind;
        dimension_code: string;
        period: KpiPeriod;
        period_start: Date;
        period_end: Date;
      }[]
    >(
      `SELECT kpi_code, dimension_kind, dimension_code, period, period_start, period_end
       FROM ${qualifiedTable(tx, 'aggregates')}
       WHERE dirty AND (published_at IS NULL OR published_at <= $1)
       ORDER BY published_at NULLS FIRST LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [publishedBefore, limit],
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

  async markPublished(tx: Tx, keys: readonly AggregateKey[], at: Date): Promise<void> {
    if (keys.length === 0) return;
    await tx.query(
      `UPDATE ${qualifiedTable(tx, 'aggregates')} p SET dirty = false, published_at = $2
       FROM jsonb_to_recordset($1::jsonb) AS r(kpi_code text, dimension_kind text, dimension_code text,
         period text, period_start timestamptz)
       WHERE p.kpi_code = r.kpi_code AND p.dimension_kind = r.dimension_kind
         AND p.dimension_code = r.dimension_code AND p.period = r.period AND p.period_start = r.period_start`,
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
        at,
      ],
    );
  }
}
