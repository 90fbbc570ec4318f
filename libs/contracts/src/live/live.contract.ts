import { Type, type Static } from '@sinclair/typebox';

import type { EventDataMap } from '../events/event-schemas';
import type { EventType, EventTypes } from '../events/event-types';
import {
  Identifier,
  INCIDENT_SEVERITIES,
  SafeString,
  StringEnum,
  type CameraStatus,
  type CongestionLevel,
  type DetectionClass,
  type IncidentSeverity,
  type IncidentSource,
  type IncidentStatus,
  type ReportChannel,
  type ReportStatus,
} from '../events/schemas/common.schemas';
import { Topics, topicSpec, type TopicName } from '../topics/topic-catalog';
import { contractValidator, type ValidationFailure } from '../validation/event-validator';

/**
 * The live push between the gateway and its clients (the operations wall, agency consoles) over Socket.IO: the
 * namespace, the event names and their payloads, typed for both ends (`Server<LiveClientEvents, LiveServerEvents>`
 * on the gateway, `Socket<LiveServerEvents, LiveClientEvents>` in a client). What is pushed is the backbone's own
 * events, which carry no personal data by contract (docs/architecture.md, "Privacy").
 */
export const LIVE_NAMESPACE = '/live';

/** What a client can subscribe to, each stream one topic of the backbone. */
export const LIVE_STREAMS = ['reports', 'incidents', 'cameras', 'traffic', 'kpi'] as const;
export type LiveStream = (typeof LIVE_STREAMS)[number];

export const LIVE_STREAM_TOPICS = {
  reports: Topics.reportsEvents,
  incidents: Topics.incidentsEvents,
  cameras: Topics.camerasStatus,
  traffic: Topics.trafficStatus,
  kpi: Topics.kpiUpdates,
} as const satisfies Record<LiveStream, TopicName>;

/** The event types each stream carries: those its topic carries in the catalog (a spec keeps the two equal). */
export interface LiveStreamEventTypes {
  reports: Exclude<Extract<EventType, `ioc.report.${string}`>, typeof EventTypes.reportSubmission>;
  incidents: Extract<EventType, `ioc.incident.${string}`>;
  cameras: typeof EventTypes.cameraStatusChanged;
  traffic: typeof EventTypes.trafficCongestionChanged;
  kpi: typeof EventTypes.kpiUpdated;
}

/** The event types of every stream, from the topic catalog. */
export function liveStreamEventTypes(stream: LiveStream): readonly EventType[] {
  return topicSpec(LIVE_STREAM_TOPICS[stream]).eventTypes;
}

/** Longest cursor a client may send back; a cursor names a position in every partition of the live topics. */
export const LIVE_CURSOR_MAX_LENGTH = 4096;

/**
 * A position in the live streams, opaque to clients: the Kafka offsets the gateway has delivered up to, so that Kafka
 * itself is the replay log and any gateway instance can resume any client.
 */
export const LiveCursorSchema = SafeString({
  description: 'Opaque resume position, as received on the last message',
  minLength: 1,
  maxLength: LIVE_CURSOR_MAX_LENGTH,
  pattern: '^[A-Za-z0-9_.~-]+$',
});

/** What a client asks for: which streams, optionally narrowed to administrative units, and where to start. */
export const LiveSubscriptionSchema = Type.Object(
  {
    streams: Type.Optional(
      Type.Array(StringEnum(LIVE_STREAMS, { description: 'A live stream' }), {
        description: 'Streams to receive; all of them when absent',
        minItems: 1,
        maxItems: LIVE_STREAMS.length,
        uniqueItems: true,
      }),
    ),
    adminUnitCodes: Type.Optional(
      Type.Array(Identifier('Administrative unit code'), {
        description:
          'Receive only items in these administrative units (either hierarchy); KPI values of these units and of the city',
        minItems: 1,
        maxItems: 64,
        uniqueItems: true,
      }),
    ),
    minSeverity: Type.Optional(
      StringEnum(INCIDENT_SEVERITIES, { description: 'Receive only incidents at least this severe' }),
    ),
    resumeFrom: Type.Optional(LiveCursorSchema),
  },
  { additionalProperties: false, description: 'A live subscription; a new one replaces the previous one' },
);
export type LiveSubscription = Static<typeof LiveSubscriptionSchema>;

/** Validates a client's subscription message; a refusal names paths and rules, never values. */
export const validateLiveSubscription: (
  value: unknown,
) => { ok: true; data: LiveSubscription } | ValidationFailure = contractValidator(LiveSubscriptionSchema);

/** One backbone event as pushed: the CloudEvents attributes a client needs and the event's own data. */
export type LivePushedEvent<T extends EventType = EventType> = {
  [K in T]: { id: string; type: K; time: string; subject: string; data: EventDataMap[K] };
}[T];

/** A live change: the stream it belongs to and the backbone event. */
export type LiveChange = {
  [S in LiveStream]: { stream: S; event: LivePushedEvent<LiveStreamEventTypes[S]> };
}[LiveStream];

/**
 * The live changes due to a client since the last message, in the order the gateway read them (at most one message
 * per push interval), with the cursor to resume from after the last of them.
 */
export interface LiveEventsMessage {
  cursor: string;
  changes: LiveChange[];
}

/** A report as the wall shows it: state and place, never the reporter (reports' events carry no personal data). */
export interface LiveReport {
  reportId: string;
  trackingCode: string;
  status: ReportStatus;
  categoryCode: string;
  adminUnitCodes: string[];
  location: { lat: number; lon: number };
  agencyId?: string;
  channel: ReportChannel;
  submittedAt: string;
  resolveDueAt?: string;
  overdue: boolean;
  updatedAt: string;
}

export interface LiveIncident {
  incidentId: string;
  source: IncidentSource;
  cameraId?: string;
  segmentId?: string;
  class: DetectionClass;
  severity: IncidentSeverity;
  status: IncidentStatus;
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  location: { lat: number; lon: number };
  adminUnitCode?: string;
  agencyId?: string;
  updatedAt: string;
}

export interface LiveCamera {
  cameraId: string;
  status: CameraStatus;
  since: string;
  location?: { lat: number; lon: number };
  adminUnitCode?: string;
}

export interface LiveSegment {
  segmentId: string;
  level: CongestionLevel;
  speedKmh?: number;
  observedAt: string;
  adminUnitCode?: string;
}

/** A KPI's current value with its last points, oldest first, for a sparkline. */
export interface LiveKpi {
  current: EventDataMap['ioc.kpi.updated.v1'];
  points: { periodStart: string; value: number }[];
}

/**
 * The state a client starts from: open reports and incidents, camera status, congestion per segment and current KPI
 * values, as of `cursor`; live changes after it follow.
 */
export interface LiveSnapshotMessage {
  cursor: string;
  takenAt: string;
  reports: LiveReport[];
  incidents: LiveIncident[];
  cameras: LiveCamera[];
  segments: LiveSegment[];
  kpis: LiveKpi[];
}

/** Why a client must start again from a snapshot. */
export const LIVE_RESYNC_REASONS = ['beyond-horizon', 'too-slow', 'invalid-cursor', 'requested'] as const;
export type LiveResyncReason = (typeof LIVE_RESYNC_REASONS)[number];

/** An error answered to one client; the connection stays open unless `code` says the session ended. */
export interface LiveErrorMessage {
  code: string;
  message: string;
  details?: unknown;
}

/** The answer to a subscription: how the client's stream starts. */
export type LiveSubscribeAck =
  | { ok: true; start: 'resumed' | 'snapshot'; resync?: LiveResyncReason }
  | { ok: false; error: LiveErrorMessage };

/** Event names, one place for both ends. */
export const LiveEvents = {
  subscribe: 'live:subscribe',
  snapshot: 'live:snapshot',
  events: 'live:events',
  resync: 'live:resync',
  error: 'live:error',
  sessionExpired: 'live:session-expired',
} as const;

/** What the gateway sends. */
export interface LiveServerEvents {
  [LiveEvents.snapshot]: (message: LiveSnapshotMessage) => void;
  [LiveEvents.events]: (message: LiveEventsMessage) => void;
  /**
   * The client must start again: nothing more is pushed until it sends `live:subscribe` again (without
   * `resumeFrom` after `too-slow`, to get a snapshot rather than the backlog it could not keep up with).
   */
  [LiveEvents.resync]: (message: { reason: LiveResyncReason }) => void;
  [LiveEvents.error]: (message: LiveErrorMessage) => void;
  /** The token expired: the gateway says so, then disconnects. */
  [LiveEvents.sessionExpired]: (message: { expiredAt: string }) => void;
}

/** What a client sends. */
export interface LiveClientEvents {
  [LiveEvents.subscribe]: (subscription: LiveSubscription, ack: (answer: LiveSubscribeAck) => void) => void;
}
