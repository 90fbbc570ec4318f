import type { DeltaSet } from './aggregate';
import { newer } from './aggregate';
import type { Dimension, FoldSettings, GaugeChange } from './fold';
import { bucketOf } from './period-bucket';

/** A gauge entity's latest known state: the event it comes from, whether it counts and where. */
export interface GaugeState {
  readonly kpiCode: string;
  readonly entityId: string;
  readonly at: Date;
  readonly eventId: string;
  readonly counted: boolean;
  readonly dimensions: readonly Dimension[];
}

/**
 * Applies one change of a gauge entity (docs/architecture.md, "KPI service"): only a change newer than the
 * entity's known state (event time, then event id) replaces it, so any order of the same events ends at the
 * same states (every change counts as a sample, applied or not). A replacement books, in the buckets of its event time, −1 in the dimension values the entity
 * counted in and +1 in those it counts in now; a gauge's level at a bucket is the sum of the changes up to it.
 * Returns the entity's state after the change.
 */
export function applyGaugeChange(
  previous: GaugeState | undefined,
  change: GaugeChange,
  deltas: DeltaSet,
  settings: FoldSettings,
): GaugeState | undefined {
  const next: GaugeState = {
    kpiCode: change.kpi.code,
    entityId: change.entityId,
    at: change.at,
    eventId: change.eventId,
    counted: change.counted,
    dimensions: change.dimensions,
  };
  const stale = previous !== undefined && !newer(next, previous);
  for (const period of change.kpi.periods) {
    const bucket = bucketOf(change.at, period, settings.timeZone);
    const book = (dimensions: readonly Dimension[], by: number, sample: boolean) => {
      for (const [kind, code] of dimensions) {
        const delta = deltas.of(change.kpi.code, kind, code, bucket);
        delta.total += by;
        if (sample) delta.samples += 1;
      }
    };
    if (stale) book(change.dimensions, 0, true);
    else {
      if (previous?.counted) book(previous.dimensions, -1, false);
      book(change.dimensions, change.counted ? 1 : 0, true);
    }
  }
  return stale ? previous : next;
}

/** Orders changes for sequential application: by event time, then event id (the gauge's total order). */
export function gaugeOrder(a: GaugeChange, b: GaugeChange): number {
  return a.at.getTime() - b.at.getTime() || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}
