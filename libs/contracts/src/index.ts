export { EventTypes, isEventType, type EventType } from './events/event-types';
export { EVENT_SCHEMAS, type EventData, type EventDataMap } from './events/event-schemas';
export {
  CAMERA_STATUSES,
  CONGESTION_LEVELS,
  DETECTION_CLASSES,
  INCIDENT_CLEARED_REASONS,
  INCIDENT_SEVERITIES,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  KPI_DIMENSION_KINDS,
  KPI_WINDOWS,
  REPORT_CHANNELS,
  REPORT_STATUSES,
  type CameraStatus,
  type CongestionLevel,
  type DetectionClass,
  type IncidentClearedReason,
  type IncidentSeverity,
  type IncidentSource,
  type IncidentStatus,
  type KpiDimensionKind,
  type KpiWindow,
  type ReportChannel,
  type ReportStatus,
} from './events/schemas/common.schemas';
export { kpiSubject, submissionSubject } from './events/subjects';
export {
  personalDataRetentionViolations,
  TOPIC_CATALOG,
  Topics,
  topicName,
  topicOf,
  topicSpec,
  type TopicName,
  type TopicSpec,
} from './topics/topic-catalog';
export {
  createEvent,
  type CreateEventInput,
  type IocEvent,
  type IocEventOf,
  type KnownIocEvent,
  type TraceAttributes,
  withTraceAttributes,
} from './envelope/ioc-event';
export {
  decodeKafkaMessage,
  DecodeFailureReasons,
  encodeKafkaMessage,
  type ContentMode,
  type DecodeFailureReason,
  type DecodeResult,
  type EncodedKafkaMessage,
  type IncomingKafkaMessage,
} from './envelope/kafka-codec';
export {
  validateEvent,
  validateEventData,
  ValidationFailureReasons,
  type ValidationFailure,
  type ValidationFailureReason,
} from './validation/event-validator';
export { ContractError, InvalidEventError, InvalidTopicSuffixError } from './errors/contract.errors';
