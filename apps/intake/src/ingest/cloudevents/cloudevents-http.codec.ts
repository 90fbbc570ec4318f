import { decodeKafkaMessage, DecodeFailureReasons, type IocEvent } from '@ioc/contracts';
import { hasUnstorableText } from '@ioc/observability';
import { CONSTANTS } from 'cloudevents';
import type { IncomingHttpHeaders } from 'node:http';

/** CloudEvents HTTP protocol binding 1.0 content modes (§3.1 binary, §3.2 structured, §3.3 batched). */
export type HttpContentMode = 'binary' | 'structured' | 'batch';

/** One event of a request, decoded, or why it could not be (stable reason, detail without values). */
export type DecodedHttpEvent = { ok: true; event: IocEvent } | { ok: false; reason: string; detail: string };

/** The media types each mode is sent with; anything else is answered 415. */
export const CLOUDEVENTS_MEDIA_TYPES = {
  binary: CONSTANTS.MIME_JSON,
  structured: CONSTANTS.MIME_CE_JSON,
  batch: CONSTANTS.MIME_CE_BATCH,
} as const satisfies Record<HttpContentMode, string>;

/** The bare media type of a Content-Type header (`application/json; charset=utf-8` → `application/json`). */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const mediaType = contentType?.split(';', 1)[0].trim().toLowerCase();
  return mediaType === '' ? undefined : mediaType;
}

/** The content mode a Content-Type announces, or undefined when no mode we accept uses it. */
export function contentModeOf(contentType: string | undefined): HttpContentMode | undefined {
  const mediaType = mediaTypeOf(contentType);
  const modes = Object.entries(CLOUDEVENTS_MEDIA_TYPES) as [HttpContentMode, string][];
  return modes.find(([, type]) => type === mediaType)?.[0];
}

/**
 * Decodes a request in `mode` into its events. The body has been parsed as JSON already.
 *
 * The SDK's `HTTP.toEvent` is not used for the decoding itself, for the reasons the Kafka decoder of
 * `@ioc/contracts` gives: it fills a missing `id` or `time` with fresh values (a retried request would look new,
 * an invalid one valid) and throws untyped errors that quote values. Instead each event is put into the shape of
 * the Kafka binding, whose attributes are the same, and decoded by `decodeKafkaMessage`, so both ways into Kafka
 * accept exactly the same events.
 */
export function decodeHttpEvents(
  mode: HttpContentMode,
  message: { headers: IncomingHttpHeaders; body: unknown },
): DecodedHttpEvent[] {
  switch (mode) {
    case 'binary':
      return [decodeBinary(message.headers, message.body)];
    case 'structured':
      return [decodeStructured(message.body)];
    case 'batch':
      // HTTP binding §3.3: the body is a JSON array of structured events.
      if (!Array.isArray(message.body)) {
        return [failure(DecodeFailureReasons.envelopeInvalid, 'a batch must be a JSON array of events')];
      }
      return message.body.map(decodeStructured);
  }
}

function decodeStructured(body: unknown): DecodedHttpEvent {
  return fromKafkaDecoder({
    value: JSON.stringify(body ?? null),
    headers: { [CONSTANTS.HEADER_CONTENT_TYPE]: CONSTANTS.MIME_CE_JSON },
  });
}

function decodeBinary(httpHeaders: IncomingHttpHeaders, body: unknown): DecodedHttpEvent {
  const headers: Record<string, string> = {
    [CONSTANTS.HEADER_CONTENT_TYPE]: CONSTANTS.MIME_JSON,
  };
  for (const [name, value] of Object.entries(httpHeaders)) {
    if (!name.startsWith(CONSTANTS.EXTENSIONS_PREFIX) || value === undefined) continue;
    if (Array.isArray(value)) {
      return failure(DecodeFailureReasons.envelopeInvalid, `header ${name} is repeated`);
    }
    // HTTP binding §3.1.3.2: attribute values are percent-encoded in headers.
    const decoded = percentDecoded(value);
    if (decoded === undefined) {
      return failure(DecodeFailureReasons.envelopeInvalid, `header ${name} is not valid percent-encoding`);
    }
    // `%00` decodes to U+0000, which the key and attributes cannot carry into the services' text columns.
    if (hasUnstorableText(decoded)) {
      return failure(
        DecodeFailureReasons.envelopeInvalid,
        `header ${name} holds U+0000 or an unpaired surrogate`,
      );
    }
    headers[`ce_${name.slice(CONSTANTS.EXTENSIONS_PREFIX.length)}`] = decoded;
  }
  return fromKafkaDecoder({ value: JSON.stringify(body ?? null), headers });
}

function fromKafkaDecoder(message: { value: string; headers: Record<string, string> }): DecodedHttpEvent {
  const result = decodeKafkaMessage(message);
  return result.ok ? { ok: true, event: result.event } : failure(result.reason, result.detail);
}

function percentDecoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function failure(reason: string, detail: string): DecodedHttpEvent {
  return { ok: false, reason, detail };
}
