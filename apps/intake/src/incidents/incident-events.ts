import { createEvent, EventTypes, type EventDataMap, type IocEvent } from '@ioc/contracts';
import { INTAKE_EVENT_SOURCE } from '../common/intake-topics';
import type { Incident } from './incident';

type IncidentEventType =
  | typeof EventTypes.incidentOpened
  | typeof EventTypes.incidentUpdated
  | typeof EventTypes.incidentAcknowledged
  | typeof EventTypes.incidentCleared;

/** The incident as it stands, as every incident event carries it (the contract's "state after"). */
export function incidentData(incident: Incident, occurredAt: Date): EventDataMap[IncidentEventType] {
  return {
    incidentId: incident.id,
    source: incident.source,
    ...(incident.source === 'camera' ? { cameraId: incident.subjectId } : { segmentId: incident.subjectId }),
    class: incident.class,
    severity: incident.severity,
    status: incident.status,
    count: incident.count,
    firstSeenAt: incident.firstSeenAt.toISOString(),
    lastSeenAt: incident.lastSeenAt.toISOString(),
    ...(incident.peakConfidence === null ? {} : { peakConfidence: incident.peakConfidence }),
    location: { lat: incident.lat, lon: incident.lon },
    ...(incident.adminUnitCode === null ? {} : { adminUnitCode: incident.adminUnitCode }),
    ...(incident.agencyId === null ? {} : { agencyId: incident.agencyId }),
    occurredAt: occurredAt.toISOString(),
  };
}

/** Builds the event announcing a change of `incident`, keyed by its id (docs/architecture.md, "Envelope"). */
export function incidentEvent(
  id: string,
  change: 'opened' | 'updated' | 'acknowledged' | 'assigned' | 'cleared',
  incident: Incident,
  occurredAt: Date,
): IocEvent {
  const base = { id, source: INTAKE_EVENT_SOURCE, subject: incident.id, time: occurredAt };
  const data = incidentData(incident, occurredAt);
  switch (change) {
    case 'opened':
      return createEvent(EventTypes.incidentOpened, { ...base, data });
    case 'updated':
      return createEvent(EventTypes.incidentUpdated, { ...base, data });
    case 'acknowledged':
      return createEvent(EventTypes.incidentAcknowledged, { ...base, data });
    case 'assigned':
      return createEvent(EventTypes.incidentAssigned, {
        ...base,
        data: { ...data, agencyId: incident.agencyId ?? '' },
      });
    case 'cleared':
      return createEvent(EventTypes.incidentCleared, {
        ...base,
        data: { ...data, clearedReason: incident.clearedReason ?? 'resolved' },
      });
  }
}
