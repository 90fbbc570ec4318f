import { randomUUID } from 'node:crypto';

/** Makes aggregate and event ids; a port, so tests choose the ids. */
export abstract class IdGenerator {
  abstract next(): string;
}

export class UuidIdGenerator extends IdGenerator {
  next(): string {
    return randomUUID();
  }
}
