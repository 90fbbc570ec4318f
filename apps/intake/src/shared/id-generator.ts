import { randomUUID } from 'node:crypto';

/** Makes aggregate and event ids (CONVENTIONS: ports for determinism). */
export abstract class IdGenerator {
  abstract next(): string;
}

export class UuidIdGenerator extends IdGenerator {
  next(): string {
    return randomUUID();
  }
}
