import {
  ForbiddenError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  ValidationFailedError,
} from '@ioc/observability';

/** Why one event of a request was refused: its position, a stable reason and a detail that never quotes values. */
export interface RejectedEvent {
  index: number;
  reason: string;
  detail: string;
}

/**
 * One or more events of a request are invalid; none was published (a request is all-or-nothing).
 * `details.events` lists every refused event by position.
 */
export class InvalidIngestEventsError extends ValidationFailedError {
  constructor(readonly rejected: readonly RejectedEvent[]) {
    super(
      rejected.map((r) => ({ field: `events.${r.index}`, message: `${r.reason}: ${r.detail}` })),
      rejected.length === 1 ? 'The event is invalid' : `${rejected.length} events are invalid`,
      { code: 'INGEST.INVALID_EVENTS', details: { events: rejected } },
    );
  }
}

/** The API key's scopes do not cover a topic an event of the request belongs to. */
export class TopicNotAllowedError extends ForbiddenError {
  constructor(topics: readonly string[]) {
    super('The API key may not publish to every topic of this request', {
      code: 'INGEST.TOPIC_NOT_ALLOWED',
      details: { topics },
    });
  }
}

/** A batch or notification holds more events than INTAKE_INGEST_MAX_BATCH_EVENTS. */
export class TooManyEventsError extends PayloadTooLargeError {
  constructor(count: number, max: number) {
    super(`At most ${max} events per request`, { code: 'INGEST.TOO_MANY_EVENTS', details: { count, max } });
  }
}

/** The API key used up its token bucket; `Retry-After` says when the next request fits. */
export class IngestRateLimitedError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super('Rate limit of this API key exceeded', retryAfterSeconds, { code: 'INGEST.RATE_LIMITED' });
  }
}

/** Kafka did not acknowledge the events; the caller should retry (consumers deduplicate by event id). */
export class BrokerUnavailableError extends ServiceUnavailableError {
  constructor(cause: unknown) {
    super('The events could not be handed to Kafka; retry later', {
      code: 'INGEST.BROKER_UNAVAILABLE',
      cause,
    });
  }
}
