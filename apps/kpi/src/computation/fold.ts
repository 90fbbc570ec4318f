import { EventTypes, type KnownIocEvent, type KpiDimensionKind } from '@ioc/contracts';
import type { Kpi, KpiFilter, KpiSource, KpiValueExpression } from '@ioc/reference-data';
import type { Feed, KpiCatalog, SourceRole } from '../catalog/kpi-catalog';
import { bucketOf } from './period-bucket';
import { type AggregateDelta, DeltaSet, newer } from './aggregate';
import { bucketIndex } from './histogram';
import { UnknownKpiError, UnobservedDimensionError } from './computation.errors';

/** An event as the fold takes it: with the time it reached Kafka, which judges whether it is late. */
export interface ArrivedEvent {
  readonly event: KnownIocEvent;
  readonly arrivedAt: Date;
}

/** Where the fold reads the time and the zone from. */
export interface FoldSettings {
  readonly timeZone: string;
  /** How long after its bucket ends an event still updates it; later ones count as late. */
  readonly graceMs: number;
}

/** A time-share entity changing state, for the entity-state step (the fold cannot see the previous state). */
export interface Transition {
  readonly kpi: Kpi;
  readonly entityId: string;
  readonly state: string;
  readonly at: Date;
  readonly dimensions: readonly Dimension[];
  readonly arrivedAt: Date;
}

export type Dimension = readonly [kind: KpiDimensionKind, code: string];

/** A gauge entity's state as of one event: whether it counts, and in which dimension values. */
export interface GaugeChange {
  readonly kpi: Kpi;
  readonly entityId: string;
  readonly at: Date;
  readonly eventId: string;
  readonly counted: boolean;
  readonly dimensions: readonly Dimension[];
}

const DEFAULT_TIME_FIELDS = ['occurredAt', 'observedAt', 'since'];

/**
 * Folds a chunk of events into the aggregate changes they cause (docs/architecture.md, "KPI service"): each
 * event reaches the feeds of its type; a feed whose filters pass adds to the bucket of each of its KPI's periods
 * and dimension values, by event time in the city's zone. An event that arrives after its bucket's end plus the
 * grace period only counts as late there. Time-share events come back as transitions and gauge events as
 * gauge changes: both need the entity's stored state.
 * @throws UnknownKpiError, UnobservedDimensionError for an observation that can never be applied
 */
export function fold(
  catalog: KpiCatalog,
  events: readonly ArrivedEvent[],
  settings: FoldSettings,
): { deltas: DeltaSet; transitions: Transition[]; gauges: GaugeChange[] } {
  const deltas = new DeltaSet();
  const transitions: Transition[] = [];
  const gauges: GaugeChange[] = [];
  // The aggregates an event has reached through feeds not alone on their KPI, and the event's dimension values
  // by breakdown (KPIs broken down alike, most of them, share them): one of each for the chunk, emptied per event.
  const touched = new Set<AggregateDelta>();
  const dimensionsBy = new Map<string, Dimension[]>();
  for (const { event, arrivedAt } of events) {
    const data = event.data as unknown as Record<string, unknown>;
    if (event.type === EventTypes.kpiObservation && !catalog.isObserved(event.data.kpiCode))
      throw new UnknownKpiError(event.data.kpiCode);
    if (touched.size > 0) touched.clear();
    if (dimensionsBy.size > 0) dimensionsBy.clear();
    for (const feed of catalog.feedsOf(event.type)) {
      const { kpi, source, role } = feed;
      if (event.type === EventTypes.kpiObservation && event.data.kpiCode !== kpi.code) continue;
      if (!passes(source.where, data)) continue;
      const at = eventTime(source, data);
      if (at === undefined) continue;
      let dimensions: readonly Dimension[];
      if (event.type === EventTypes.kpiObservation)
        dimensions = observationDimensions(kpi, event.data.dimension);
      else {
        let found = dimensionsBy.get(feed.dimensionsKey);
        if (!found)
          dimensionsBy.set(feed.dimensionsKey, (found = dimensionsOf(feed, data, catalog.cityCode)));
        dimensions = found;
      }
      if (kpi.formula.kind === 'time-share') {
        const entityId = data[kpi.formula.source.entity];
        const state = data[kpi.formula.source.state];
        if (typeof entityId === 'string' && typeof state === 'string')
          transitions.push({ kpi, entityId, state, at, dimensions, arrivedAt });
        continue;
      }
      if (kpi.formula.kind === 'gauge') {
        const entityId = data[kpi.formula.entity];
        const counted = passes(kpi.formula.counts, data);
        if (typeof entityId === 'string')
          gauges.push({ kpi, entityId, at, eventId: event.id, counted, dimensions });
        continue;
      }
      const value = source.value === undefined ? undefined : valueOf(source.value, data);
      if (source.value !== undefined && value === undefined) continue;
      const histogram = catalog.histogramOf(kpi.code) === kpi.code;
      for (const period of kpi.periods) {
        const bucket = bucketOf(at, period, settings.timeZone);
        const late = arrivedAt.getTime() > bucket.end.getTime() + settings.graceMs;
        const inBucket = deltas.bucket(kpi.code, bucket);
        for (const [kind, code] of dimensions) {
          const delta = inBucket.of(kind, code);
          // An event counts once as a sample (or late) of an aggregate, however many of its KPI's feeds reach it.
          let first = true;
          if (!feed.alone) {
            first = !touched.has(delta);
            touched.add(delta);
          }
          if (late) {
            if (first) delta.late += 1;
            continue;
          }
          if (first) delta.samples += 1;
          apply(delta, kpi, role, value, at, event.id, histogram);
        }
      }
    }
  }
  return { deltas, transitions, gauges };
}

function apply(
  delta: AggregateDelta,
  kpi: Kpi,
  role: SourceRole,
  value: number | undefined,
  at: Date,
  eventId: string,
  /** Whether this KPI keeps the histogram (a percentile sharing another's only counts). */
  histogram: boolean,
): void {
  switch (kpi.formula.kind) {
    case 'ratio':
      if (role === 'numerator') delta.num += 1;
      else delta.den += 1;
      return;
    case 'count':
      delta.n += 1;
      return;
    case 'sum':
    case 'mean':
      delta.total += value ?? 0;
      delta.n += 1;
      return;
    case 'percentile': {
      if (histogram) {
        const index = bucketIndex(value ?? 0);
        delta.histogram.set(index, (delta.histogram.get(index) ?? 0) + 1);
      }
      delta.n += 1;
      return;
    }
    case 'latest': {
      const candidate = { value: value ?? 0, at, eventId };
      if (!delta.latest || newer(candidate, delta.latest)) delta.latest = candidate;
      return;
    }
    default:
      return;
  }
}

/** Whether every filter holds for the event's data. */
export function passes(filters: readonly KpiFilter[] | undefined, data: Record<string, unknown>): boolean {
  if (!filters) return true;
  return filters.every((filter) => {
    const value = data[filter.field];
    if ('equals' in filter) return value === filter.equals;
    if ('in' in filter) return filter.in.includes(value as string | number | boolean);
    const time = timeOf(value);
    const limit = timeOf(data[filter.notAfterField]);
    return time !== undefined && limit !== undefined && time <= limit;
  });
}

function eventTime(source: KpiSource, data: Record<string, unknown>): Date | undefined {
  for (const field of source.time ?? DEFAULT_TIME_FIELDS) {
    const value = data[field];
    if (typeof value !== 'string') continue;
    if (value === lastTime.text) return lastTime.date;
    const ms = timeOf(value);
    if (ms !== undefined) {
      lastTime = { text: value, date: new Date(ms) };
      return lastTime.date;
    }
  }
  return undefined;
}

/** The last event time read: an event's feeds mostly read the same field, so it is parsed once. */
let lastTime: { text?: string; date?: Date } = {};

function valueOf(expression: KpiValueExpression, data: Record<string, unknown>): number | undefined {
  if ('field' in expression) {
    const value = data[expression.field];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }
  const [from, to] = expression.hoursBetween.map((field) => timeOf(data[field]));
  return from === undefined || to === undefined ? undefined : (to - from) / 3_600_000;
}

function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The city, and each dimension a feed's KPI is broken down by whose field the event carries. */
export function dimensionsOf(feed: Feed, data: Record<string, unknown>, cityCode: string): Dimension[] {
  const result: Dimension[] = [['city', cityCode]];
  for (const [kind, field] of feed.dimensionFields) {
    const value = data[field];
    if (!Array.isArray(value)) {
      if (typeof value === 'string' && value !== '') result.push([kind, value]);
      continue;
    }
    // A unit and its parent, say: a handful of codes (schemas bound such arrays), each counted once.
    for (let i = 0; i < value.length; i++) {
      const code: unknown = value[i];
      if (typeof code === 'string' && code !== '' && value.indexOf(code) === i) result.push([kind, code]);
    }
  }
  return result;
}

function observationDimensions(kpi: Kpi, dimension: { kind: KpiDimensionKind; code: string }): Dimension[] {
  if (dimension.kind !== 'city' && kpi.dimensions[dimension.kind] === undefined)
    throw new UnobservedDimensionError(kpi.code, dimension.kind);
  return [[dimension.kind, dimension.code]];
}
