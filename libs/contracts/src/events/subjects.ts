import type { KpiDimensionKind, ReportChannel } from './schemas/common.schemas';

/**
 * Subject (and Kafka key) of a report submission: the originating channel and its own id, so a channel that
 * re-sends a report lands on the same partition and the reports service can recognise the repeat.
 */
export function submissionSubject(channel: ReportChannel, externalId: string): string {
  return `${channel}:${externalId}`;
}

/** Subject (and Kafka key) of KPI events: one aggregate per KPI and dimension, which compaction keeps. */
export function kpiSubject(kpiCode: string, dimension: { kind: KpiDimensionKind; code: string }): string {
  return `${kpiCode}:${dimension.kind}:${dimension.code}`;
}
