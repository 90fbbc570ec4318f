import type { KpiDimensionKind, KpiPeriod, ReportChannel } from './schemas/common.schemas';

/**
 * Subject (and Kafka key) of a report submission: the originating channel and its own id, so a channel that
 * re-sends a report lands on the same partition and the reports service can recognise the repeat.
 */
export function submissionSubject(channel: ReportChannel, externalId: string): string {
  return `${channel}:${externalId}`;
}

/** Subject (and Kafka key) of a KPI observation: one aggregate per KPI and dimension. */
export function kpiSubject(kpiCode: string, dimension: { kind: KpiDimensionKind; code: string }): string {
  return `${kpiCode}:${dimension.kind}:${dimension.code}`;
}

/**
 * Subject (and Kafka key) of a KPI update: the KPI, its dimension and the period bucket, so that compaction keeps
 * the latest value of every period, and with it the recent history a sparkline draws.
 * @param periodStart the period's start as written in the event (`periodStart`, RFC 3339 UTC)
 */
export function kpiUpdateSubject(
  kpiCode: string,
  dimension: { kind: KpiDimensionKind; code: string },
  period: KpiPeriod,
  periodStart: string,
): string {
  return `${kpiSubject(kpiCode, dimension)}:${period}:${periodStart}`;
}
