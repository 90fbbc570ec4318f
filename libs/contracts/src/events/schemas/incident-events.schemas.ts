import { Type, type TProperties } from '@sinclair/typebox';

import { EventTypes, type EventType } from '../event-types';
import {
  DateTime,
  DetectionClassSchema,
  eventSchema,
  GeoPoint,
  Identifier,
  INCIDENT_CLEARED_REASONS,
  INCIDENT_SEVERITIES,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  StringEnum,
} from './common.schemas';

/** The incident as it stands after the event, so a consumer never needs the intake service's tables. */
const incidentEventBase = {
  incidentId: Identifier('Incident id; also the subject and the Kafka key'),
  source: StringEnum(INCIDENT_SOURCES, { description: 'What raised the incident' }),
  cameraId: Type.Optional(Identifier('Camera that raised it (required when source is camera)')),
  segmentId: Type.Optional(Identifier('Road segment it concerns (required when source is traffic)')),
  class: DetectionClassSchema,
  severity: StringEnum(INCIDENT_SEVERITIES, { description: 'How urgent it is' }),
  status: StringEnum(INCIDENT_STATUSES, { description: "The incident's status after this event" }),
  count: Type.Integer({
    description: 'How many detections or observations it merges',
    minimum: 1,
    maximum: 1e9,
  }),
  firstSeenAt: DateTime('First detection'),
  lastSeenAt: DateTime('Latest detection'),
  peakConfidence: Type.Optional(
    Type.Number({ description: 'Highest detection confidence', minimum: 0, maximum: 1 }),
  ),
  location: GeoPoint('Where it is'),
  adminUnitCode: Type.Optional(Identifier('Administrative unit it is in')),
  agencyId: Type.Optional(Identifier('Agency it is assigned to')),
  occurredAt: DateTime('When this change happened (UTC); event time, not arrival time, drives KPI windows'),
};

/** JSON Schema conditionals: the id matching `source` must be present (TypeBox has no builder for `if`). */
const sourceIdRequired = {
  allOf: [
    { if: { properties: { source: { const: 'camera' } } }, then: { required: ['cameraId'] } },
    { if: { properties: { source: { const: 'traffic' } } }, then: { required: ['segmentId'] } },
  ],
};

function incidentEvent<P extends TProperties>(type: EventType, title: string, description: string, extra: P) {
  return eventSchema(type, { title, description }, { ...incidentEventBase, ...extra }, sourceIdRequired);
}

export const IncidentOpenedV1 = incidentEvent(
  EventTypes.incidentOpened,
  'Incident opened',
  'Detections or observations crossed the threshold and an incident was opened.',
  {},
);

export const IncidentUpdatedV1 = incidentEvent(
  EventTypes.incidentUpdated,
  'Incident updated',
  'An open incident merged new detections or changed severity.',
  {},
);

export const IncidentAcknowledgedV1 = incidentEvent(
  EventTypes.incidentAcknowledged,
  'Incident acknowledged',
  'An operator acknowledged the incident.',
  {},
);

export const IncidentAssignedV1 = incidentEvent(
  EventTypes.incidentAssigned,
  'Incident assigned',
  'The incident was assigned to an agency.',
  { agencyId: Identifier('Agency it is assigned to') },
);

export const IncidentClearedV1 = incidentEvent(
  EventTypes.incidentCleared,
  'Incident cleared',
  'The incident was cleared by an operator, dismissed as a false alarm, or expired without new detections.',
  { clearedReason: StringEnum(INCIDENT_CLEARED_REASONS, { description: 'Why it was cleared' }) },
);
