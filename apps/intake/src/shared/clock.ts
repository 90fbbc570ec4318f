/** The time source of the rules (CONVENTIONS: ports for determinism). */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
