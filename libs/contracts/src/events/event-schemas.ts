import type { Static, TSchema } from '@sinclair/typebox';

import { EventTypes, type EventType } from './event-types';
import { CameraDetectionV1, CameraHeartbeatV1, CameraStatusChangedV1 } from './schemas/camera.schemas';
import {
  IncidentAcknowledgedV1,
  IncidentAssignedV1,
  IncidentClearedV1,
  IncidentOpenedV1,
  IncidentUpdatedV1,
} from './schemas/incident-events.schemas';
import { KpiObservationV1, KpiUpdatedV1 } from './schemas/kpi.schemas';
import {
  ReportAcknowledgedV1,
  ReportAssignedV1,
  ReportClosedV1,
  ReportDeclinedV1,
  ReportDuplicateLinkedV1,
  ReportOverdueV1,
  ReportRatedV1,
  ReportRejectedV1,
  ReportReopenedV1,
  ReportResolvedV1,
  ReportStartedV1,
  ReportSubmittedV1,
} from './schemas/report-events.schemas';
import { ReportSubmissionV1 } from './schemas/report-submission.schemas';
import { TrafficCongestionChangedV1, TrafficObservationV1 } from './schemas/traffic.schemas';

const schemas = {
  [EventTypes.reportSubmission]: ReportSubmissionV1,
  [EventTypes.reportSubmitted]: ReportSubmittedV1,
  [EventTypes.reportAssigned]: ReportAssignedV1,
  [EventTypes.reportAcknowledged]: ReportAcknowledgedV1,
  [EventTypes.reportStarted]: ReportStartedV1,
  [EventTypes.reportResolved]: ReportResolvedV1,
  [EventTypes.reportClosed]: ReportClosedV1,
  [EventTypes.reportReopened]: ReportReopenedV1,
  [EventTypes.reportDeclined]: ReportDeclinedV1,
  [EventTypes.reportRejected]: ReportRejectedV1,
  [EventTypes.reportDuplicateLinked]: ReportDuplicateLinkedV1,
  [EventTypes.reportOverdue]: ReportOverdueV1,
  [EventTypes.reportRated]: ReportRatedV1,
  [EventTypes.cameraDetection]: CameraDetectionV1,
  [EventTypes.cameraHeartbeat]: CameraHeartbeatV1,
  [EventTypes.trafficObservation]: TrafficObservationV1,
  [EventTypes.incidentOpened]: IncidentOpenedV1,
  [EventTypes.incidentUpdated]: IncidentUpdatedV1,
  [EventTypes.incidentAcknowledged]: IncidentAcknowledgedV1,
  [EventTypes.incidentAssigned]: IncidentAssignedV1,
  [EventTypes.incidentCleared]: IncidentClearedV1,
  [EventTypes.cameraStatusChanged]: CameraStatusChangedV1,
  [EventTypes.trafficCongestionChanged]: TrafficCongestionChangedV1,
  [EventTypes.kpiObservation]: KpiObservationV1,
  [EventTypes.kpiUpdated]: KpiUpdatedV1,
} satisfies Record<EventType, TSchema>;

/** The JSON Schema (draft 2020-12) of each event type's `data`. */
export const EVENT_SCHEMAS: Readonly<Record<EventType, TSchema>> = schemas;

/** The `data` type of each event type, derived from its schema so the two cannot drift. */
export type EventDataMap = { [K in EventType]: Static<(typeof schemas)[K]> };

/** The `data` type of one event type, e.g. `EventData<'ioc.report.submitted.v1'>`. */
export type EventData<K extends EventType> = EventDataMap[K];
