import { v7 as uuidv7 } from 'uuid';
import { InvalidEventError } from '../errors/contract.errors';
import type { EventDataMap } from '../events/event-schemas';
import type { EventType } from '../events/event-types';
import { schemaId } from '../events/schemas/common.schemas';
import { envelopeProblems, validateEventData } from '../validation/event-validator';
import { checkedPayload, markChecked } from './checked-events';

/**
 * A CloudEvents 1.0 event as it travels on the backbone. `correlationid` and `traceparent` are extension
 * attributes (lower-case alphanumeric names, as the CloudEvents spec requires).
 */
export interface IocEvent<T = unknown> {
  specversion: '1.0';
  /**
   * Unique per event; consumers are idempotent by it. {@link createEvent} makes a time-ordered UUID (version 7)
   * unless given one (docs/architecture.md, "Envelope").
   */
  id: string;
  /** The producing application, e.g. `/ioc/reports`. */
  source: string;
  /** Versioned event type, e.g. `ioc.report.submitted.v1`. */
  type: string;
  /** The aggregate id; also the Kafka key, so events of one aggregate stay in order. */
  subject: string;
  /** RFC 3339 UTC time the event happened. */
  time: string;
  datacontenttype: 'application/json';
  dataschema?: string;
  correlationid?: string;
  traceparent?: string;
  data: T;
}

/** An event of one known type, with its data typed. */
export type IocEventOf<K extends EventType> = IocEvent<EventDataMap[K]> & { type: K };

/** Any event of the contract, discriminated by `type`. */
export type KnownIocEvent = { [K in EventType]: IocEventOf<K> }[EventType];

/** What a producer supplies to {@link createEvent}; the rest of the envelope is derived. */
export interface CreateEventInput<T> {
  source: string;
  subject: string;
  data: T;
  /** Defaults to a random UUID. Pass one to make a retried publish recognisable as the same event. */
  id?: string;
  /** Defaults to now. Written as UTC. */
  time?: Date | string;
  correlationid?: string;
  traceparent?: string;
}

/**
 * Builds an event of `type`, with `dataschema` pointing at the type's schema, and checks it against the
 * contract so an invalid event fails where it is made, not in every consumer. The event is checked and its
 * data encoded once, here: {@link validateEvent} and {@link encodeKafkaMessage} (so the outbox and the
 * producer) take it as it is, and publish the data as it was when checked. Its attributes are frozen.
 * @throws {InvalidEventError} when the attributes or the data break the contract.
 */
export function createEvent<K extends EventType>(
  type: K,
  input: CreateEventInput<EventDataMap[K]>,
): IocEventOf<K> {
  const time = new Date(input.time ?? Date.now());
  if (Number.isNaN(time.getTime()))
    throw new InvalidEventError('envelope.invalid', '/time must be a valid date');
  const event: IocEventOf<K> = {
    specversion: '1.0',
    id: input.id ?? uuidv7(),
    source: input.source,
    type,
    subject: input.subject,
    time: time.toISOString(),
    datacontenttype: 'application/json',
    dataschema: schemaId(type),
    ...(input.correlationid === undefined ? {} : { correlationid: input.correlationid }),
    ...(input.traceparent === undefined ? {} : { traceparent: input.traceparent }),
    data: input.data,
  };
  const problems = envelopeProblems(event);
  if (problems) throw new InvalidEventError('envelope.invalid', problems);
  const result = validateEventData(type, event.data);
  if (!result.ok) throw new InvalidEventError(result.reason, result.detail);
  return markChecked(event);
}

/** The tracing attributes {@link withTraceAttributes} sets. */
export interface TraceAttributes {
  correlationid: string;
  traceparent: string;
}

/**
 * `event` with `correlationid` and `traceparent` set where it has none (the event itself when it has both).
 * An event {@link createEvent} checked stays checked when its new attributes pass the envelope check: its
 * data, already checked and encoded, is kept. Any other event is returned unchecked, as before.
 */
export function withTraceAttributes<E extends IocEvent>(event: E, trace: TraceAttributes): E {
  if (event.correlationid !== undefined && event.traceparent !== undefined) return event;
  const stamped: E = {
    ...event,
    correlationid: event.correlationid ?? trace.correlationid,
    traceparent: event.traceparent ?? trace.traceparent,
  };
  const payload = checkedPayload(event);
  return payload !== undefined && envelopeProblems(stamped) === undefined
    ? markChecked(stamped, payload)
    : stamped;
}
