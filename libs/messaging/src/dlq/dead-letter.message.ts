import type { OutboundRecord, RecordHeaders } from '../producer/record-sender';

/** Headers the dead-letter publisher adds to every DLQ record. */
export const DlqHeaders = {
  /**
   * Stable code: before any handler ran, `payload.too_large`, `payload.empty`, `payload.not_json`,
   * `envelope.invalid`, `type.unknown`, `schema.invalid`; when applied, the handler's
   * `PoisonMessageError` or domain error code, `db.data_exception.<SQLSTATE>` or
   * `db.integrity_violation.<SQLSTATE>`, or `handler.failed` (see `classifyFailure`).
   */
  reason: 'ioc-dlq-reason',
  /** Short, sanitized explanation (no quoted values, no long digit runs, no e-mail addresses). */
  detail: 'ioc-dlq-detail',
  /** The consumer (group) that gave up on the message. */
  consumer: 'ioc-dlq-consumer',
  sourceTopic: 'ioc-dlq-source-topic',
  sourcePartition: 'ioc-dlq-source-partition',
  sourceOffset: 'ioc-dlq-source-offset',
  /** ISO-8601 UTC time of dead-lettering. */
  at: 'ioc-dlq-at',
  /** Present only when the record had to be cut to fit the broker: what was cut, e.g. `value`, `value+headers`. */
  truncated: 'ioc-dlq-truncated',
  /** Present only when truncated: the original value's size in bytes. */
  originalValueBytes: 'ioc-dlq-original-value-bytes',
} as const;

/** Reasons found before any handler ran. */
export const DlqReasons = {
  tooLarge: 'payload.too_large',
} as const;

/** A consumed Kafka message, as kafkajs hands it over. */
export interface ConsumedMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeaders;
}

/** What the DLQ needs to know about one message it receives. */
export interface DeadLetter {
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  message: ConsumedMessage;
  reason: string;
  detail: string;
}

const DETAIL_MAX_LENGTH = 200;
const TRUNCATION_HEADER_NAMES = { [DlqHeaders.truncated]: '', [DlqHeaders.originalValueBytes]: '' };
// Kafka's per-record framing (lengths, varints, attributes) is well under this; the margin keeps the
// estimate conservative.
const RECORD_OVERHEAD_BYTES = 512;

/**
 * Strips what could carry personal data from an explanation before it leaves the service (docs/architecture.md,
 * "Privacy"): quoted strings (JSON.parse and validators quote input), e-mail addresses and runs of 9 or more digits
 * (a phone number, even written with spaces, dots or dashes); then bounds the length. Sizes and offsets of up to 8
 * digits stay readable.
 */
export function sanitizeDetail(text: string): string {
  const cleaned = text
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '…')
    .replace(/[^\s@]+@[^\s@]+/g, '…@…')
    .replace(/\+?\d(?:[ .-]?\d){8,}/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > DETAIL_MAX_LENGTH ? `${cleaned.slice(0, DETAIL_MAX_LENGTH - 1)}…` : cleaned;
}

function byteLength(value: Buffer | string | null | undefined): number {
  if (value == null) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

function headersBytes(headers: RecordHeaders): number {
  let total = 0;
  for (const [name, value] of Object.entries(headers)) {
    for (const item of Array.isArray(value) ? value : [value]) total += byteLength(name) + byteLength(item);
  }
  return total;
}

/**
 * The DLQ record for a message: the original key and value bytes and the original headers (minus any
 * stale `ioc-dlq-*` ones from an earlier round trip), plus the {@link DlqHeaders}.
 *
 * The record must fit the broker's `max.message.bytes`, which the original may already fill. Rather than
 * have the broker reject it (and the consumer stall), the value's tail is cut to fit `maxRecordBytes`,
 * then, if still too big, the original headers are dropped and the key cut; `ioc-dlq-truncated` and
 * `ioc-dlq-original-value-bytes` then say so. Under the limit the bytes are kept intact.
 */
export function buildDeadLetterRecord(
  letter: DeadLetter,
  options: { dlqTopic: string; at: Date; maxRecordBytes: number },
): OutboundRecord {
  const original: RecordHeaders = {};
  for (const [name, value] of Object.entries(letter.message.headers ?? {})) {
    if (!name.startsWith('ioc-dlq-')) original[name] = value;
  }
  const added: Record<string, string> = {
    [DlqHeaders.reason]: letter.reason,
    [DlqHeaders.detail]: sanitizeDetail(letter.detail),
    [DlqHeaders.consumer]: letter.consumer,
    [DlqHeaders.sourceTopic]: letter.topic,
    [DlqHeaders.sourcePartition]: String(letter.partition),
    [DlqHeaders.sourceOffset]: letter.offset,
    [DlqHeaders.at]: options.at.toISOString(),
  };
  const { key, value } = letter.message;
  const fixedBytes = RECORD_OVERHEAD_BYTES + headersBytes(added);
  const intactBytes = fixedBytes + byteLength(key) + byteLength(value) + headersBytes(original);
  if (intactBytes <= options.maxRecordBytes) {
    return { topic: options.dlqTopic, key, value, headers: { ...original, ...added } };
  }

  // Sacrificed in this order: the value's tail, then the original headers, then the key's tail (a key
  // that big is hostile anyway). Values of the two truncation headers take at most ~30 bytes.
  let budget = options.maxRecordBytes - fixedBytes - headersBytes(TRUNCATION_HEADER_NAMES) - 30;
  const cut: string[] = [];
  const keyBytes = key === null ? null : Buffer.from(key);
  const keptKey = keyBytes && keyBytes.length > budget ? keyBytes.subarray(0, Math.max(0, budget)) : keyBytes;
  if (keptKey !== keyBytes) cut.push('key');
  budget -= byteLength(keptKey);
  const keepHeaders = headersBytes(original) <= budget;
  if (keepHeaders) budget -= headersBytes(original);
  else cut.push('headers');
  const keptValue = value && value.length > budget ? value.subarray(0, Math.max(0, budget)) : value;
  if (keptValue !== value) cut.push('value');
  return {
    topic: options.dlqTopic,
    key: keptKey,
    value: keptValue,
    headers: {
      ...(keepHeaders ? original : {}),
      ...added,
      [DlqHeaders.truncated]: cut.reverse().join('+'),
      [DlqHeaders.originalValueBytes]: String(byteLength(value)),
    },
  };
}
