import type { IocEvent } from './ioc-event';

// Events createEvent built and checked against the contract, with their data encoded at that moment.
const checked = new WeakMap<IocEvent, Buffer>();

/**
 * Records that `event` passed the envelope and data checks, freezes its attributes and encodes its data now:
 * the bytes published are those checked, even if the caller changes the data object afterwards.
 */
export function markChecked<E extends IocEvent>(event: E, payload?: Buffer): E {
  Object.freeze(event);
  checked.set(event, payload ?? Buffer.from(JSON.stringify(event.data)));
  return event;
}

/** The data bytes of an event createEvent checked, or `undefined` for any other object. */
export function checkedPayload(event: IocEvent): Buffer | undefined {
  return checked.get(event);
}
