/**
 * The time source of a service's rules: a port, so that tests choose the time. The platform provides
 * {@link SystemClock} to every service; a spec overrides it.
 */
export abstract class Clock {
  /** The current UTC instant; callers keep it, so it is never mutated afterwards. */
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
