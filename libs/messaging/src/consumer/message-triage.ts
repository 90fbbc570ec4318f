import { decodeKafkaMessage, validateEvent, type KnownIocEvent } from '@ioc/contracts';
import { DlqReasons, type ConsumedMessage } from '../dlq/dead-letter.message';

/**
 * A consumed message sorted before any handler runs: a valid event; an `invalid` one, whose envelope
 * decoded (so its id is trustworthy and goes to the inbox) but whose type or data is refused; or an
 * `undecodable` one, which has no id and never touches the inbox. Both rejections go to the DLQ.
 */
export type TriagedMessage<M extends ConsumedMessage = ConsumedMessage> =
  | { kind: 'event'; message: M; event: KnownIocEvent }
  | { kind: 'invalid'; message: M; eventId: string; reason: string; detail: string }
  | { kind: 'undecodable'; message: M; reason: string; detail: string };

/** Size check, then CloudEvents decoding (either content mode), then the event type's JSON Schema. */
export function triageMessage<M extends ConsumedMessage>(
  message: M,
  maxMessageBytes: number,
): TriagedMessage<M> {
  const size = message.value?.length ?? 0;
  if (size > maxMessageBytes) {
    // Not even parsed: a huge payload is the cheapest denial of service against a JSON consumer.
    return {
      kind: 'undecodable',
      message,
      reason: DlqReasons.tooLarge,
      detail: `value is ${size} bytes, limit ${maxMessageBytes}`,
    };
  }
  const decoded = decodeKafkaMessage(message);
  if (!decoded.ok) return { kind: 'undecodable', message, reason: decoded.reason, detail: decoded.detail };
  const validated = validateEvent(decoded.event);
  if (!validated.ok) {
    return {
      kind: 'invalid',
      message,
      reason: validated.reason,
      detail: validated.detail,
      eventId: decoded.event.id,
    };
  }
  return { kind: 'event', message, event: validated.event };
}
