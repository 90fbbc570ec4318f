import { createEvent, EventTypes, type IocEvent, kpiUpdateSubject } from '@ioc/contracts';
import type { KpiValue } from '../values/kpi-evaluator';

/** `source` of the events the KPI service emits (CloudEvents `source`). */
export const KPI_EVENT_SOURCE = '/ioc/kpi';

/** Units as the contract spells them on the wire. */
const WIRE_UNITS: Record<string, string> = { percent: '%' };

/** The `ioc.kpi.updated.v1` event for a value, keyed by KPI, dimension and period bucket (compacted topic). */
export function kpiUpdatedEvent(value: KpiValue & { value: number }, computedAt: Date): IocEvent {
  const { key, kpi } = value;
  const dimension = { kind: key.dimensionKind, code: key.dimensionCode };
  const periodStart = key.periodStart.toISOString();
  return createEvent(EventTypes.kpiUpdated, {
    source: KPI_EVENT_SOURCE,
    subject: kpiUpdateSubject(kpi.code, dimension, key.period, periodStart),
    time: computedAt,
    data: {
      kpiCode: kpi.code,
      dimension,
      period: key.period,
      periodStart,
      periodEnd: key.periodEnd.toISOString(),
      value: round(value.value),
      unit: WIRE_UNITS[kpi.unit] ?? kpi.unit,
      direction: kpi.direction,
      ...(value.target === undefined ? {} : { target: value.target }),
      ...(value.projection === undefined
        ? {}
        : { projection: { ...value.projection, value: round(value.projection.value) } }),
      ...(value.status === undefined ? {} : { status: value.status }),
      sampleCount: value.sampleCount,
      lateCount: value.lateCount,
      computedAt: computedAt.toISOString(),
    },
  });
}

/** Values go out with 6 significant decimals: enough for any KPI, and stable across replays. */
export function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
