import { Type } from '@sinclair/typebox';

import { EventTypes } from '../event-types';
import {
  DateTime,
  eventSchema,
  Identifier,
  KPI_DIRECTIONS,
  KPI_PERIODS,
  KPI_STATUSES,
  KpiDimensionSchema,
  SafeString,
  StringEnum,
} from './common.schemas';

const kpiCode = Identifier('KPI code from the KPI catalog (reference data)');
const unit = SafeString({
  description: 'Unit of the value, e.g. `%`, `count`, `minutes`',
  minLength: 1,
  maxLength: 32,
});
const figure = (description: string) => Type.Number({ description, minimum: -1e12, maximum: 1e12 });

export const KpiObservationV1 = eventSchema(
  EventTypes.kpiObservation,
  {
    title: 'KPI observation',
    description:
      'A KPI value measured outside the IOC and published by an integrator (e.g. the share of public-service ' +
      'dossiers filed online, from the public-service portal).',
  },
  {
    kpiCode,
    dimension: KpiDimensionSchema,
    value: figure('The measured value'),
    unit: Type.Optional(unit),
    observedAt: DateTime('When the value was measured'),
    periodStart: Type.Optional(DateTime('Start of the period the value covers')),
    periodEnd: Type.Optional(DateTime('End of the period the value covers')),
    source: Identifier('System the value comes from'),
  },
);

export const KpiProjectionSchema = Type.Object(
  {
    value: figure('Where the value is expected to stand at the end of the period'),
    basis: StringEnum(['trend', 'so-far', 'final'] as const, {
      description:
        '`trend`: extrapolated from the value so far and its recent slope; `so-far`: too little of the period ' +
        'has elapsed (or too few samples) for a trend, so the value so far; `final`: the period has ended',
    }),
    elapsedShare: Type.Number({
      description: 'Share of the period elapsed when the projection was made, 0 to 1',
      minimum: 0,
      maximum: 1,
    }),
  },
  {
    description: 'The projection of the value to the end of its period, and what it rests on',
    additionalProperties: false,
  },
);

export const KpiUpdatedV1 = eventSchema(
  EventTypes.kpiUpdated,
  {
    title: 'KPI updated',
    description:
      "A KPI's value for one dimension and period was recomputed. The topic is compacted by KPI, dimension and " +
      'period, so it holds the latest value of each period (and the last periods of each KPI).',
  },
  {
    kpiCode,
    dimension: KpiDimensionSchema,
    period: StringEnum(KPI_PERIODS, {
      description: 'Calendar period the value covers; day and longer in the city time zone',
    }),
    periodStart: DateTime('Start of the period (UTC instant of its local start)'),
    periodEnd: DateTime('End of the period, exclusive (UTC instant of its local end)'),
    value: figure('The value over the period so far'),
    unit: Type.Optional(unit),
    direction: StringEnum(KPI_DIRECTIONS, {
      description: 'Whether the value should reach or stay under the target',
    }),
    target: Type.Optional(figure('Target for the period')),
    projection: Type.Optional(KpiProjectionSchema),
    status: Type.Optional(
      StringEnum(KPI_STATUSES, { description: 'Standing against the target, judged on the projection' }),
    ),
    sampleCount: Type.Integer({
      description: 'How many events or observations the value is computed from',
      minimum: 0,
      maximum: 1e12,
    }),
    lateCount: Type.Integer({
      description: 'Events that arrived after the grace period of their bucket: counted here, never dropped',
      minimum: 0,
      maximum: 1e12,
    }),
    computedAt: DateTime('When the value was computed'),
  },
);
