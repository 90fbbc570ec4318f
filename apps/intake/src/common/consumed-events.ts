import type { EventDataMap, EventType, IocEventOf, KnownIocEvent } from '@ioc/contracts';
import { type ConsumedEvent, PoisonMessageError } from '@ioc/messaging';

/** A valid event of another type on one of intake's input topics: it can never be applied here. */
export class UnexpectedEventTypeError extends PoisonMessageError {
  constructor(type: string, topic: string) {
    super('INTAKE.UNEXPECTED_EVENT_TYPE', `event type ${type} does not belong on ${topic}`);
  }
}

/**
 * The id and data of each consumed event, which must all be of `type`: every input topic carries one
 * event type (topic catalog), so anything else is poison for the DLQ.
 */
export function dataOf<K extends EventType>(
  type: K,
  events: readonly ConsumedEvent[],
): { eventId: string; data: EventDataMap[K] }[] {
  return events.map(({ event, topic }) => {
    if (!isOfType(event, type)) throw new UnexpectedEventTypeError(event.type, topic);
    return { eventId: event.id, data: event.data };
  });
}

function isOfType<K extends EventType>(
  event: KnownIocEvent,
  type: K,
): event is Extract<KnownIocEvent, IocEventOf<K>> {
  return event.type === type;
}
