import { Type } from '@sinclair/typebox';

import { EventTypes } from '../event-types';
import {
  DateTime,
  eventSchema,
  Identifier,
  KPI_WINDOWS,
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
    value: Type.Number({ description: 'The measured value', minimum: -1e12, maximum: 1e12 }),
    unit: Type.Optional(unit),
    observedAt: DateTime('When the value was measured'),
    periodStart: Type.Optional(DateTime('Start of the period the value covers')),
    periodEnd: Type.Optional(DateTime('End of the period the value covers')),
    source: Identifier('System the value comes from'),
  },
);

export const KpiUpdatedV1 = eventSchema(
  EventTypes.kpiUpdated,
  {
    title: 'KPI updated',
    description:
      "A KPI's value for one dimension and window was recomputed. The topic is compacted by KPI and dimension, " +
      'so it always holds the latest value of each.',
  },
  {
    kpiCode,
    dimension: KpiDimensionSchema,
    window: StringEnum(KPI_WINDOWS, {
      description: 'Aggregation window; calendar windows are in the city time zone',
    }),
    windowStart: DateTime('Start of the window'),
    value: Type.Number({ description: 'The value over the window', minimum: -1e12, maximum: 1e12 }),
    unit: Type.Optional(unit),
    target: Type.Optional(
      Type.Number({ description: 'Target for the value', minimum: -1e12, maximum: 1e12 }),
    ),
    targetDirection: Type.Optional(
      StringEnum(['at-least', 'at-most'] as const, {
        description: 'Whether the value should reach or stay under the target',
      }),
    ),
    status: Type.Optional(
      StringEnum(['on-track', 'at-risk', 'off-track'] as const, {
        description: 'Standing against the target',
      }),
    ),
    sampleCount: Type.Integer({
      description: 'How many events or observations the value is computed from',
      minimum: 0,
      maximum: 1e12,
    }),
    computedAt: DateTime('When the value was computed'),
  },
);
