import { InvalidTopicSuffixError } from '../errors/contract.errors';
import { EventTypes, type EventType } from '../events/event-types';

/** Base topic names. At run time a suffix may be appended (see {@link topicName}). */
export const Topics = {
  reportsSubmissions: 'ioc.reports.submissions',
  reportsEvents: 'ioc.reports.events',
  cameraDetections: 'ioc.camera.detections',
  cameraHeartbeats: 'ioc.camera.heartbeats',
  trafficObservations: 'ioc.traffic.observations',
  incidentsEvents: 'ioc.incidents.events',
  camerasStatus: 'ioc.cameras.status',
  trafficStatus: 'ioc.traffic.status',
  kpiObservations: 'ioc.kpi.observations',
  kpiUpdates: 'ioc.kpi.updates',
  dlq: 'ioc.dlq',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** How a topic is provisioned and who uses it. Replication is deployment config, not contract. */
export interface TopicSpec {
  name: TopicName;
  purpose: string;
  /** What the Kafka key holds; it is the aggregate id, so order holds per aggregate (docs/architecture.md, "Envelope"). */
  key: string;
  partitions: number;
  cleanupPolicy: 'delete' | 'compact';
  /** `null` keeps records forever (a compacted topic keeps the latest record per key). */
  retentionMs: number | null;
  /**
   * Whether records may hold a reporter's personal data (name, phone, e-mail): `none`; `source`, published
   * with it; or `copies`, holding other topics' records byte for byte (the dead-letter topic), so it holds
   * personal data whenever a source does. See {@link personalDataRetentionViolations}.
   */
  personalData: 'none' | 'source' | 'copies';
  producers: string[];
  consumers: string[];
  eventTypes: EventType[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

const reportEventTypes: EventType[] = [
  EventTypes.reportSubmitted,
  EventTypes.reportAssigned,
  EventTypes.reportAcknowledged,
  EventTypes.reportStarted,
  EventTypes.reportResolved,
  EventTypes.reportClosed,
  EventTypes.reportReopened,
  EventTypes.reportDeclined,
  EventTypes.reportRejected,
  EventTypes.reportDuplicateLinked,
  EventTypes.reportOverdue,
  EventTypes.reportRated,
];

const incidentEventTypes: EventType[] = [
  EventTypes.incidentOpened,
  EventTypes.incidentUpdated,
  EventTypes.incidentAcknowledged,
  EventTypes.incidentAssigned,
  EventTypes.incidentCleared,
];

// Producers and consumers are application ids: the apps of this repository, `integrator` for external
// systems that publish (directly, or through intake's HTTP ingest) and `operator-tooling` for DLQ replay.
const catalog: { [K in keyof typeof Topics]: TopicSpec & { name: (typeof Topics)[K] } } = {
  reportsSubmissions: {
    name: Topics.reportsSubmissions,
    purpose:
      'Reports from other channels (hotline, Zalo, national portal, e-mail) published by integrators or through ' +
      "intake's HTTP ingest. The only topic that may carry a reporter's contact data.",
    key: '<channel>:<externalId>',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY_MS,
    personalData: 'source',
    producers: ['integrator', 'intake'],
    consumers: ['reports'],
    eventTypes: [EventTypes.reportSubmission],
  },
  reportsEvents: {
    name: Topics.reportsEvents,
    purpose:
      "Every change of a report's lifecycle, relayed from the reports service's outbox. No personal data.",
    key: 'report id',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 30 * DAY_MS,
    personalData: 'none',
    producers: ['reports'],
    consumers: ['kpi', 'gateway'],
    eventTypes: reportEventTypes,
  },
  cameraDetections: {
    name: Topics.cameraDetections,
    purpose: "Camera analytics detections from camera AI integrators or through intake's HTTP ingest.",
    key: 'camera id',
    partitions: 12,
    cleanupPolicy: 'delete',
    retentionMs: 3 * DAY_MS,
    personalData: 'none',
    producers: ['integrator', 'intake'],
    consumers: ['intake'],
    eventTypes: [EventTypes.cameraDetection],
  },
  cameraHeartbeats: {
    name: Topics.cameraHeartbeats,
    purpose: "Camera liveness from camera integrators or through intake's HTTP ingest.",
    key: 'camera id',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 1 * DAY_MS,
    personalData: 'none',
    producers: ['integrator', 'intake'],
    consumers: ['intake'],
    eventTypes: [EventTypes.cameraHeartbeat],
  },
  trafficObservations: {
    name: Topics.trafficObservations,
    purpose:
      "Road segment measurements from traffic sensor integrators, or through intake's HTTP ingest and NGSI-LD " +
      'notifications.',
    key: 'segment id',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 3 * DAY_MS,
    personalData: 'none',
    producers: ['integrator', 'intake'],
    consumers: ['intake'],
    eventTypes: [EventTypes.trafficObservation],
  },
  incidentsEvents: {
    name: Topics.incidentsEvents,
    purpose: "Incident lifecycle changes, relayed from the intake service's outbox.",
    key: 'incident id',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 30 * DAY_MS,
    personalData: 'none',
    producers: ['intake'],
    consumers: ['kpi', 'gateway'],
    eventTypes: incidentEventTypes,
  },
  camerasStatus: {
    name: Topics.camerasStatus,
    purpose: "Camera online/offline changes, relayed from the intake service's outbox.",
    key: 'camera id',
    partitions: 3,
    cleanupPolicy: 'delete',
    retentionMs: 30 * DAY_MS,
    personalData: 'none',
    producers: ['intake'],
    consumers: ['kpi', 'gateway'],
    eventTypes: [EventTypes.cameraStatusChanged],
  },
  trafficStatus: {
    name: Topics.trafficStatus,
    purpose: "Road segment congestion level changes, relayed from the intake service's outbox.",
    key: 'segment id',
    partitions: 6,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY_MS,
    personalData: 'none',
    producers: ['intake'],
    consumers: ['kpi', 'gateway'],
    eventTypes: [EventTypes.trafficCongestionChanged],
  },
  kpiObservations: {
    name: Topics.kpiObservations,
    purpose: 'KPI values measured outside the IOC, e.g. by the public-service portal.',
    key: '<kpiCode>:<dimension kind>:<dimension code>',
    partitions: 3,
    cleanupPolicy: 'delete',
    retentionMs: 30 * DAY_MS,
    personalData: 'none',
    producers: ['integrator'],
    consumers: ['kpi'],
    eventTypes: [EventTypes.kpiObservation],
  },
  kpiUpdates: {
    name: Topics.kpiUpdates,
    purpose:
      'Recomputed KPI values; compacted, so it holds the latest value per KPI, dimension and period bucket.',
    key: '<kpiCode>:<dimension kind>:<dimension code>:<period>:<period start>',
    partitions: 3,
    cleanupPolicy: 'compact',
    retentionMs: null,
    personalData: 'none',
    producers: ['kpi'],
    consumers: ['gateway'],
    eventTypes: [EventTypes.kpiUpdated],
  },
  dlq: {
    name: Topics.dlq,
    purpose:
      'Messages a consumer could not accept (undecodable, failing their schema, naming unknown reference data), ' +
      'with the original key, value and headers plus reason and source topic/partition/offset headers. It keeps ' +
      "them no longer than the shortest-lived topic carrying personal data, so a refused submission's reporter " +
      'data does not outlive the submission itself.',
    key: 'original key',
    partitions: 3,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY_MS,
    personalData: 'copies',
    producers: ['reports', 'intake', 'kpi', 'gateway'],
    consumers: ['operator-tooling'],
    eventTypes: [],
  },
};

/** Every topic of the backbone, with its provisioning and its producers and consumers. */
export const TOPIC_CATALOG: readonly TopicSpec[] = Object.values(catalog);

const specsByName = new Map<TopicName, TopicSpec>(TOPIC_CATALOG.map((spec) => [spec.name, spec]));
const topicsByEventType = new Map<EventType, TopicName>(
  TOPIC_CATALOG.flatMap((spec) => spec.eventTypes.map((type) => [type, spec.name] as const)),
);

/**
 * Where `catalog` would let a reporter's personal data outlive the record it came from: a topic with personal
 * data must delete records after a finite retention, and a topic of copies (the dead-letter topic) may keep
 * them no longer than the shortest-lived source of personal data. Checked by the catalog's spec and by topic
 * provisioning, which refuses such a catalog (docs/architecture.md, "Personal data in Kafka").
 * @returns one sentence per violation; empty when the catalog is sound
 */
export function personalDataRetentionViolations(catalog: readonly TopicSpec[]): string[] {
  const violations: string[] = [];
  const personal = catalog.filter((spec) => spec.personalData !== 'none');
  for (const spec of personal) {
    if (spec.cleanupPolicy !== 'delete' || spec.retentionMs === null)
      violations.push(
        `${spec.name} carries personal data, so it must delete records after a finite retention`,
      );
  }
  const sources = personal.filter((spec) => spec.personalData === 'source' && spec.retentionMs !== null);
  if (sources.length === 0) return violations;
  const shortest = Math.min(...sources.map((spec) => spec.retentionMs as number));
  for (const spec of personal.filter((candidate) => candidate.personalData === 'copies')) {
    // A copy kept for ever is already reported above.
    if (spec.retentionMs !== null && spec.retentionMs > shortest)
      violations.push(
        `${spec.name} keeps copies of personal data for ${spec.retentionMs} ms, longer than its ` +
          `shortest-lived source (${shortest} ms)`,
      );
  }
  return violations;
}

/** The catalog entry of a topic. */
export function topicSpec(name: TopicName): TopicSpec {
  return specsByName.get(name) as TopicSpec;
}

/** The topic an event type is published on (each type belongs to exactly one topic). */
export function topicOf(type: EventType): TopicName {
  return topicsByEventType.get(type) as TopicName;
}

// Kafka topic names allow [a-zA-Z0-9._-] and at most 249 characters.
const TOPIC_SUFFIX = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;

/**
 * The topic to use at run time: `base`, or `base.suffix` when a suffix isolates a test run or an environment.
 * @throws {InvalidTopicSuffixError} when the suffix holds characters Kafka does not allow in topic names.
 */
export function topicName(base: TopicName, suffix?: string): string {
  if (suffix === undefined || suffix === '') return base;
  if (!TOPIC_SUFFIX.test(suffix)) throw new InvalidTopicSuffixError(suffix);
  return `${base}.${suffix}`;
}
