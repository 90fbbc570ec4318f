/**
 * Every event type on the backbone. Names are versioned (`….v1`, docs/architecture.md, "Envelope"): a breaking change
 * to a payload is a new type with its own schema, published next to the old one until its consumers have moved.
 */
export const EventTypes = {
  reportSubmission: 'ioc.report.submission.v1',
  reportSubmitted: 'ioc.report.submitted.v1',
  reportAssigned: 'ioc.report.assigned.v1',
  reportAcknowledged: 'ioc.report.acknowledged.v1',
  reportStarted: 'ioc.report.started.v1',
  reportResolved: 'ioc.report.resolved.v1',
  reportClosed: 'ioc.report.closed.v1',
  reportReopened: 'ioc.report.reopened.v1',
  reportDeclined: 'ioc.report.declined.v1',
  reportRejected: 'ioc.report.rejected.v1',
  reportDuplicateLinked: 'ioc.report.duplicate-linked.v1',
  reportOverdue: 'ioc.report.overdue.v1',
  reportRated: 'ioc.report.rated.v1',
  cameraDetection: 'ioc.camera.detection.v1',
  cameraHeartbeat: 'ioc.camera.heartbeat.v1',
  trafficObservation: 'ioc.traffic.observation.v1',
  incidentOpened: 'ioc.incident.opened.v1',
  incidentUpdated: 'ioc.incident.updated.v1',
  incidentAcknowledged: 'ioc.incident.acknowledged.v1',
  incidentAssigned: 'ioc.incident.assigned.v1',
  incidentCleared: 'ioc.incident.cleared.v1',
  cameraStatusChanged: 'ioc.camera.status-changed.v1',
  trafficCongestionChanged: 'ioc.traffic.congestion-changed.v1',
  kpiObservation: 'ioc.kpi.observation.v1',
  kpiUpdated: 'ioc.kpi.updated.v1',
} as const;

/** A versioned event type name, e.g. `ioc.report.submitted.v1`. */
export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

const knownEventTypes: ReadonlySet<string> = new Set(Object.values(EventTypes));

/** True when `type` names an event type this contract defines. */
export function isEventType(type: string): type is EventType {
  return knownEventTypes.has(type);
}
