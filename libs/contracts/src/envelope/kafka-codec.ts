import { CloudEvent, CONSTANTS, Kafka, type Headers } from 'cloudevents';

import { InvalidEventError } from '../errors/contract.errors';
import { envelopeProblems } from '../validation/event-validator';
import { checkedPayload } from './checked-events';
import type { IocEvent } from './ioc-event';

/**
 * CloudEvents Kafka protocol binding 1.0 content modes: `binary` puts the attributes in `ce_`-prefixed headers
 * and the data in the value; `structured` puts the whole event, as JSON, in the value.
 */
export type ContentMode = 'binary' | 'structured';

/** A record ready for kafkajs `producer.send`. */
export interface EncodedKafkaMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** A record as kafkajs delivers it (headers are Buffers, or arrays when a header repeats). */
export interface IncomingKafkaMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

/** Why a record could not be decoded; stable codes, e.g. for dead-letter headers. */
export const DecodeFailureReasons = {
  payloadEmpty: 'payload.empty',
  payloadNotJson: 'payload.not_json',
  envelopeInvalid: 'envelope.invalid',
} as const;
export type DecodeFailureReason = (typeof DecodeFailureReasons)[keyof typeof DecodeFailureReasons];

export type DecodeResult =
  | { ok: true; event: IocEvent; mode: ContentMode }
  | { ok: false; reason: DecodeFailureReason; detail: string };

const CONTENT_TYPE = CONSTANTS.HEADER_CONTENT_TYPE;
const STRUCTURED_JSON = CONSTANTS.MIME_CE_JSON;
const JSON_MEDIA_TYPE = CONSTANTS.MIME_JSON;

// The attributes of the contract, written to and read from a record; any other extension is dropped.
const ATTRIBUTES = [
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'dataschema',
  'correlationid',
  'traceparent',
] as const;

/**
 * Encodes an event as a Kafka record (CloudEvents Kafka protocol binding 1.0). The key is the subject, the
 * aggregate id, so that events of one aggregate keep their order (docs/architecture.md, "Envelope").
 * Binary mode, the one every producer here uses, is written directly: each attribute in a `ce_` header,
 * `datacontenttype` as `content-type` only (binding 3.2.1), the data as JSON bytes; the SDK's own
 * binding builds the same record at several times the cost (kafka-codec.spec.ts holds them equal).
 * Structured mode goes through the SDK. An event {@link createEvent} checked is not checked again, and
 * its data is the bytes encoded then.
 * @throws {InvalidEventError} when the event's attributes break the contract.
 */
export function encodeKafkaMessage(event: IocEvent, mode: ContentMode = 'binary'): EncodedKafkaMessage {
  const payload = checkedPayload(event);
  if (payload === undefined) {
    const problems = envelopeProblems(event);
    if (problems) throw new InvalidEventError('envelope.invalid', problems);
  }
  if (mode === 'structured') {
    // Checked above against a stricter schema than the SDK's, whose own errors would quote attribute values.
    const message = Kafka.structured(new CloudEvent<unknown>({ ...event }, false));
    return {
      key: event.subject,
      value: Buffer.from(String(message.value)),
      headers: definedHeaders(message.headers),
    };
  }
  const headers: Record<string, string> = { [CONTENT_TYPE]: event.datacontenttype };
  for (const name of ATTRIBUTES) {
    const value = event[name];
    if (value !== undefined) headers[`ce_${name}`] = value;
  }
  return {
    key: event.subject,
    value: payload ?? Buffer.from(JSON.stringify(event.data)),
    headers,
  };
}

/**
 * Decodes a Kafka record in either content mode into an event, checking the CloudEvents attributes but not the
 * data (that is {@link validateEvent}). Failures carry a stable reason and a detail that never quotes values.
 *
 * Decoding is done here rather than by the SDK's `Kafka.toEvent`, which fills a missing `id`, `time` or
 * `specversion` with defaults (a fresh UUID would defeat idempotency), reads only string headers, and reports
 * problems as untyped exceptions.
 */
export function decodeKafkaMessage(message: IncomingKafkaMessage): DecodeResult {
  try {
    return decode(message);
  } catch (error) {
    if (error instanceof DecodeFailure) return { ok: false, reason: error.reason, detail: error.message };
    throw error;
  }
}

function decode(message: IncomingKafkaMessage): DecodeResult {
  const headers = readHeaders(message.headers ?? {});
  const contentType = headerValue(headers, CONTENT_TYPE);
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  const value = message.value === null ? '' : utf8(message.value);
  if (value.length === 0) throw new DecodeFailure(DecodeFailureReasons.payloadEmpty, 'record value is empty');
  const body = parseJson(value);

  if (mediaType === STRUCTURED_JSON) {
    if (!isJsonObject(body)) fail('structured event must be a JSON object');
    if (body.datacontenttype !== undefined && !isJsonMediaType(body.datacontenttype)) {
      fail('/datacontenttype must be application/json');
    }
    const attributes = Object.fromEntries(
      ATTRIBUTES.filter((name) => Object.hasOwn(body, name)).map((name) => [name, body[name]]),
    );
    return { ok: true, event: toEvent(attributes, body.data), mode: 'structured' };
  }
  if (mediaType?.startsWith(CONSTANTS.MIME_CE)) fail('only single JSON structured events are accepted');
  if (!isJsonMediaType(contentType)) fail('content-type header must be application/json');
  const attributes: Record<string, string> = {};
  for (const [name, header] of HEADER_OF) {
    const value = headerValue(headers, header);
    if (value !== undefined) attributes[name] = value;
  }
  return { ok: true, event: toEvent(attributes, body), mode: 'binary' };
}

function toEvent(attributes: Record<string, unknown>, data: unknown): IocEvent {
  if (!isJsonObject(data)) fail('data must be a JSON object');
  const candidate = { ...attributes, datacontenttype: JSON_MEDIA_TYPE, data };
  const problems = envelopeProblems(candidate);
  if (problems) fail(problems);
  const event = candidate as IocEvent;
  // RFC 3339 admits offsets and leap seconds; events carry UTC (docs/architecture.md, "Time"). The candidate is
  // this function's own object, so the time is rewritten in place.
  const time = new Date(event.time);
  if (Number.isNaN(time.getTime())) fail('/time must be a valid instant');
  event.time = time.toISOString();
  return event;
}

/** The headers {@link decode} reads: `content-type` and each attribute's `ce_` header, by lower-case name. */
const HEADER_OF = new Map<string, string>(ATTRIBUTES.map((name) => [name, `ce_${name}`]));
const READ_HEADERS = new Set<string>([CONTENT_TYPE, ...HEADER_OF.values()]);
/** A header repeated with different values: ambiguous, refused when read ({@link headerValue}). */
const CONFLICT = Symbol('conflicting values');

function readHeaders(
  raw: NonNullable<IncomingKafkaMessage['headers']>,
): Map<string, string | typeof CONFLICT> {
  // On every consumed record: only the headers read are decoded, with no array for the usual one that appears once.
  const headers = new Map<string, string | typeof CONFLICT>();
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    if (value === undefined) continue;
    const key = READ_HEADERS.has(name) ? name : name.toLowerCase();
    if (!READ_HEADERS.has(key)) continue;
    if (Array.isArray(value)) for (const item of value) put(headers, key, utf8(item));
    else put(headers, key, utf8(value));
  }
  return headers;
}

function put(headers: Map<string, string | typeof CONFLICT>, key: string, value: string): void {
  const known = headers.get(key);
  headers.set(key, known === undefined || known === value ? value : CONFLICT);
}

// A header repeated with different values is ambiguous; guessing which one counts could mis-route an event.
function headerValue(headers: Map<string, string | typeof CONFLICT>, name: string): string | undefined {
  const value = headers.get(name);
  if (value === CONFLICT) fail(`header ${name} is repeated with different values`);
  return value;
}

function utf8(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DecodeFailure(DecodeFailureReasons.payloadNotJson, 'record value is not valid JSON');
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonMediaType(value: unknown): boolean {
  return typeof value === 'string' && value.split(';')[0].trim().toLowerCase() === JSON_MEDIA_TYPE;
}

function definedHeaders(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = String(value);
  }
  return result;
}

class DecodeFailure extends Error {
  constructor(
    readonly reason: DecodeFailureReason,
    detail: string,
  ) {
    super(detail);
  }
}

function fail(detail: string): never {
  throw new DecodeFailure(DecodeFailureReasons.envelopeInvalid, detail);
}
