import type { KpiDimensionKind, KpiPeriod } from '@ioc/contracts';
import type { PeriodBucket } from './period-bucket';

/** Which aggregate: a KPI, one dimension value and one period bucket (the Kafka key of its updates too). */
export interface AggregateKey {
  readonly kpiCode: string;
  readonly dimensionKind: KpiDimensionKind;
  readonly dimensionCode: string;
  readonly period: KpiPeriod;
  readonly periodStart: Date;
  readonly periodEnd: Date;
}

/** The newest value of a `latest` KPI; ties in time go to the larger event id, so order never matters. */
export interface LatestValue {
  readonly value: number;
  readonly at: Date;
  readonly eventId: string;
}

/**
 * The mergeable state of one aggregate, or a change to it: every field adds up (histogram bucket by bucket),
 * except `latest`, which keeps the newest. Merging is commutative and associative, so a chunk's changes can
 * be folded in memory and written once, and a replay in another order ends at the same numbers.
 */
export interface AggregateState {
  /** Ratio numerator; time-share milliseconds in a counted state. */
  num: number;
  /** Ratio denominator; time-share milliseconds observed. */
  den: number;
  /** Sum of values (sum, mean). */
  total: number;
  /** Events counted (count) or values summed (mean). */
  n: number;
  samples: number;
  late: number;
  latest?: LatestValue;
  /** Percentile histogram: bucket index → count. */
  histogram: Map<number, number>;
}

export type AggregateDelta = AggregateKey & AggregateState;

export function emptyState(): AggregateState {
  return { num: 0, den: 0, total: 0, n: 0, samples: 0, late: 0, histogram: new Map() };
}

/** The key's string, as {@link DeltaSet.of} builds it. */
export function aggregateKeyString(key: AggregateKey): string {
  return [key.kpiCode, key.dimensionKind, key.dimensionCode, key.period, key.periodStart.getTime()].join(
    '\u0000',
  );
}

/** Adds `delta` into `into` (in place). */
export function mergeInto(into: AggregateState, delta: AggregateState): void {
  into.num += delta.num;
  into.den += delta.den;
  into.total += delta.total;
  into.n += delta.n;
  into.samples += delta.samples;
  into.late += delta.late;
  if (delta.latest && (!into.latest || newer(delta.latest, into.latest))) into.latest = delta.latest;
  for (const [index, count] of delta.histogram)
    into.histogram.set(index, (into.histogram.get(index) ?? 0) + count);
}

export function newer(
  a: Pick<LatestValue, 'at' | 'eventId'>,
  b: Pick<LatestValue, 'at' | 'eventId'>,
): boolean {
  const dt = a.at.getTime() - b.at.getTime();
  return dt > 0 || (dt === 0 && a.eventId > b.eventId);
}

/** Collects deltas by key, merging those of one key. */
export class DeltaSet {
  private readonly byKey = new Map<string, AggregateDelta>();

  /** The delta of `key`, created empty on first use. */
  at(key: AggregateKey): AggregateDelta {
    return this.of(key.kpiCode, key.dimensionKind, key.dimensionCode, {
      period: key.period,
      start: key.periodStart,
      end: key.periodEnd,
    });
  }

  /**
   * The delta of one KPI, dimension value and period bucket, created empty on first use: the fold's hot path,
   * which builds the key's string once and its object only for a new key.
   */
  of(kpiCode: string, kind: KpiDimensionKind, code: string, bucket: PeriodBucket): AggregateDelta {
    const id = `${kpiCode}\u0000${kind}\u0000${code}\u0000${bucket.period}\u0000${bucket.start.getTime()}`;
    let delta = this.byKey.get(id);
    if (!delta) {
      delta = {
        kpiCode,
        dimensionKind: kind,
        dimensionCode: code,
        period: bucket.period,
        periodStart: bucket.start,
        periodEnd: bucket.end,
        ...emptyState(),
      };
      this.byKey.set(id, delta);
    }
    return delta;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Every delta, in key order (so that concurrent writers lock rows in one order). */
  sorted(): AggregateDelta[] {
    return [...this.byKey.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, delta]) => delta);
  }
}
