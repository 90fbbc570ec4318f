import type { DeltaSet } from './aggregate';
import type { Dimension, FoldSettings, Transition } from './fold';
import { bucketOf, overlaps } from './period-bucket';

/** Where a time-share entity stands: its state since when, and the dimension values it counts in. */
export interface EntityState {
  readonly kpiCode: string;
  readonly entityId: string;
  readonly state: string;
  readonly since: Date;
  readonly dimensions: readonly Dimension[];
}

/**
 * Applies one transition of a time-share entity: the interval it closes (`[previous since, at)` in the previous
 * state) adds its milliseconds to every bucket it overlaps, to the numerator too when that state counts. A
 * transition older than the entity's known state is late: counted in its buckets, not applied (the interval it
 * would split is already booked). Returns the entity's new state.
 */
export function applyTransition(
  previous: EntityState | undefined,
  transition: Transition,
  deltas: DeltaSet,
  settings: FoldSettings,
): EntityState | undefined {
  const { kpi } = transition;
  if (kpi.formula.kind !== 'time-share') return previous;
  const counted = kpi.formula.states;
  const late = previous !== undefined && transition.at.getTime() < previous.since.getTime();
  for (const period of kpi.periods) {
    const bucket = bucketOf(transition.at, period, settings.timeZone);
    for (const [kind, code] of transition.dimensions) {
      const delta = deltas.of(kpi.code, kind, code, bucket);
      if (late) delta.late += 1;
      else delta.samples += 1;
    }
  }
  if (late) return previous;
  if (previous) {
    const inState = counted.includes(previous.state);
    for (const period of kpi.periods)
      for (const { bucket, ms } of overlaps(previous.since, transition.at, period, settings.timeZone))
        for (const [kind, code] of previous.dimensions) {
          const delta = deltas.of(kpi.code, kind, code, bucket);
          delta.den += ms;
          if (inState) delta.num += ms;
        }
  }
  return {
    kpiCode: kpi.code,
    entityId: transition.entityId,
    state: transition.state,
    since: transition.at,
    dimensions: transition.dimensions,
  };
}
