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

/** The key as one string, for maps of aggregates. */
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
  /** By period, bucket start and KPI: no key string is built on the fold's hot path. */
  private readonly buckets = new Map<KpiPeriod, Map<number, Map<string, BucketDeltas>>>();
  private count = 0;

  /** The delta of `key`, created empty on first use. */
  at(key: AggregateKey): AggregateDelta {
    return this.of(key.kpiCode, key.dimensionKind, key.dimensionCode, {
      period: key.period,
      start: key.periodStart,
      end: key.periodEnd,
    });
  }

  /** The delta of one KPI, dimension value and period bucket, created empty on first use. */
  of(kpiCode: string, kind: KpiDimensionKind, code: string, bucket: PeriodBucket): AggregateDelta {
    return this.bucket(kpiCode, bucket).of(kind, code);
  }

  /**
   * The deltas of one KPI in one period bucket, by dimension value: the fold's hot path takes it once per
   * event and period, then each dimension value without building a key string.
   */
  bucket(kpiCode: string, bucket: PeriodBucket): BucketDeltas {
    let byStart = this.buckets.get(bucket.period);
    if (!byStart) this.buckets.set(bucket.period, (byStart = new Map()));
    const start = bucket.start.getTime();
    let byKpi = byStart.get(start);
    if (!byKpi) byStart.set(start, (byKpi = new Map()));
    let deltas = byKpi.get(kpiCode);
    if (!deltas) {
      deltas = new BucketDeltas(kpiCode, bucket, () => (this.count += 1));
      byKpi.set(kpiCode, deltas);
    }
    return deltas;
  }

  get size(): number {
    return this.count;
  }

  /** Every delta, in no particular order. */
  all(): AggregateDelta[] {
    const all: AggregateDelta[] = [];
    for (const byStart of this.buckets.values())
      for (const byKpi of byStart.values()) for (const deltas of byKpi.values()) deltas.collect(all);
    return all;
  }

  /** Every delta, in key order (so that concurrent writers lock rows in one order). */
  sorted(): AggregateDelta[] {
    return this.all().sort(compareKeys);
  }
}

/** The deltas of one KPI in one period bucket, by dimension kind and code. */
export class BucketDeltas {
  private readonly byKind = new Map<KpiDimensionKind, Map<string, AggregateDelta>>();

  constructor(
    private readonly kpiCode: string,
    private readonly bucket: PeriodBucket,
    private readonly created: () => void,
  ) {}

  of(kind: KpiDimensionKind, code: string): AggregateDelta {
    let byCode = this.byKind.get(kind);
    if (!byCode) {
      byCode = new Map();
      this.byKind.set(kind, byCode);
    }
    let delta = byCode.get(code);
    if (!delta) {
      delta = {
        kpiCode: this.kpiCode,
        dimensionKind: kind,
        dimensionCode: code,
        period: this.bucket.period,
        periodStart: this.bucket.start,
        periodEnd: this.bucket.end,
        ...emptyState(),
      };
      byCode.set(code, delta);
      this.created();
    }
    return delta;
  }

  collect(into: AggregateDelta[]): void {
    for (const byCode of this.byKind.values()) for (const delta of byCode.values()) into.push(delta);
  }
}

/** The order of {@link aggregateKeyString}: KPI, dimension kind, dimension code, period, start. */
function compareKeys(a: AggregateKey, b: AggregateKey): number {
  return (
    compareText(a.kpiCode, b.kpiCode) ||
    compareText(a.dimensionKind, b.dimensionKind) ||
    compareText(a.dimensionCode, b.dimensionCode) ||
    compareText(a.period, b.period) ||
    a.periodStart.getTime() - b.periodStart.getTime()
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
