/** The time source of the rules; a port, so tests choose the time. */
export abstract class Clock {
  /** The current UTC instant; callers keep it, so it is never mutated afterwards. */
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
