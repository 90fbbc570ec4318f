import { Type } from '@sinclair/typebox';

import { EventTypes } from '../event-types';
import { CONGESTION_LEVELS, DateTime, eventSchema, Identifier, StringEnum } from './common.schemas';

const segmentId = Identifier('Road segment id from the reference data; also the subject and the Kafka key');
const speedKmh = (description: string) => Type.Number({ description, minimum: 0, maximum: 300 });

export const TrafficObservationV1 = eventSchema(
  EventTypes.trafficObservation,
  {
    title: 'Traffic observation',
    description: 'A measurement on a road segment from a traffic sensor network.',
  },
  {
    segmentId,
    observedAt: DateTime('End of the measurement interval'),
    speedKmh: speedKmh('Mean speed in km/h'),
    volumeVehPerHour: Type.Optional(
      Type.Number({ description: 'Flow in vehicles per hour', minimum: 0, maximum: 50000 }),
    ),
    occupancyPct: Type.Optional(
      Type.Number({ description: 'Detector occupancy in percent', minimum: 0, maximum: 100 }),
    ),
  },
);

export const TrafficCongestionChangedV1 = eventSchema(
  EventTypes.trafficCongestionChanged,
  {
    title: 'Traffic congestion changed',
    description: "A road segment's congestion level changed, as judged by the intake service.",
  },
  {
    segmentId,
    level: StringEnum(CONGESTION_LEVELS, { description: 'The new congestion level' }),
    previousLevel: Type.Optional(
      StringEnum(CONGESTION_LEVELS, { description: 'The level before, if known' }),
    ),
    speedKmh: speedKmh('Mean speed that led to the new level'),
    freeFlowSpeedKmh: speedKmh('Free-flow speed of the segment the level is judged against'),
    observedAt: DateTime('When the observation that changed the level was made'),
    adminUnitCode: Type.Optional(Identifier('Administrative unit the segment is in')),
  },
);
