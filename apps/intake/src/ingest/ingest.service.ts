import { type IocEvent, isEventType, topicOf, type TopicName, Topics, validateEvent } from '@ioc/contracts';
import type { Principal } from '@ioc/auth';
import { Injectable } from '@nestjs/common';
import type { DecodedHttpEvent } from './cloudevents/cloudevents-http.codec';
import { IngestConfig } from './ingest.config';
import {
  BrokerUnavailableError,
  InvalidIngestEventsError,
  type RejectedEvent,
  TooManyEventsError,
  TopicNotAllowedError,
} from './ingest.errors';
import { IngestPublisher, type RoutedEvent } from './ingest.publisher';

/** The inbound topics (docs/architecture.md, "Event flow"); events of any other type are never taken over HTTP. */
export const INGEST_TOPICS: readonly TopicName[] = [
  Topics.cameraDetections,
  Topics.cameraHeartbeats,
  Topics.trafficObservations,
  Topics.reportsSubmissions,
  Topics.kpiObservations,
];

/** Stable reason of an event whose type exists but belongs to a topic only a service publishes to. */
export const TYPE_NOT_INGESTIBLE = 'type.not_ingestible';

/** What was accepted: every event's id and base topic, in request order. */
export interface IngestReceipt {
  accepted: { id: string; topic: TopicName }[];
}

/**
 * The rules of HTTP and NGSI-LD ingest: a request is all-or-nothing (every event valid, of an inbound type, on a
 * topic the key may publish to), and it is accepted only once Kafka acknowledged every event. Duplicated ids are
 * passed on: the consumers are idempotent by event id (docs/architecture.md, "Nothing counted twice"), so a retried
 * request is harmless.
 */
@Injectable()
export class IngestService {
  constructor(
    private readonly config: IngestConfig,
    private readonly publisher: IngestPublisher,
  ) {}

  /**
   * Validates and publishes the decoded events of one request.
   * @throws TooManyEventsError, InvalidIngestEventsError, TopicNotAllowedError, BrokerUnavailableError
   */
  async ingest(principal: Principal, decoded: readonly DecodedHttpEvent[]): Promise<IngestReceipt> {
    if (decoded.length > this.config.INTAKE_INGEST_MAX_BATCH_EVENTS) {
      throw new TooManyEventsError(decoded.length, this.config.INTAKE_INGEST_MAX_BATCH_EVENTS);
    }
    if (decoded.length === 0) {
      throw new InvalidIngestEventsError([
        { index: 0, reason: 'request.empty', detail: 'the request holds no event' },
      ]);
    }
    const rejected: RejectedEvent[] = [];
    const routed: RoutedEvent[] = [];
    decoded.forEach((item, index) => {
      const result = item.ok ? route(item.event) : item;
      if (result.ok) routed.push(result.routed);
      else rejected.push({ index, reason: result.reason, detail: result.detail });
    });
    if (rejected.length > 0) throw new InvalidIngestEventsError(rejected);

    const forbidden = [...new Set(routed.map((r) => r.topic))].filter(
      (topic) => !mayPublish(principal, topic),
    );
    if (forbidden.length > 0) throw new TopicNotAllowedError(forbidden);

    try {
      await this.publisher.publish(routed);
    } catch (error) {
      throw new BrokerUnavailableError(error);
    }
    return { accepted: routed.map(({ topic, event }) => ({ id: event.id, topic })) };
  }
}

type RouteResult = { ok: true; routed: RoutedEvent } | { ok: false; reason: string; detail: string };

function route(event: IocEvent): RouteResult {
  if (isEventType(event.type) && !INGEST_TOPICS.includes(topicOf(event.type))) {
    return { ok: false, reason: TYPE_NOT_INGESTIBLE, detail: 'only integrator event types are accepted' };
  }
  const validation = validateEvent(event);
  if (!validation.ok) return validation;
  return { ok: true, routed: { topic: topicOf(validation.event.type), event: validation.event } };
}

/**
 * An API key's scopes name the topics it may publish to: a base topic name (`ioc.camera.detections`) or a prefix
 * ending in `*` (`ioc.camera.*`, `ioc.*`). A key without scopes may publish nothing: least privilege.
 */
export function mayPublish(principal: Principal, topic: TopicName): boolean {
  return (principal.scopes ?? []).some((scope) =>
    scope.endsWith('*') ? topic.startsWith(scope.slice(0, -1)) : scope === topic,
  );
}
