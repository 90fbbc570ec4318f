import { v7 as uuidv7 } from 'uuid';

/** Makes aggregate and event ids; a port, so tests choose the ids. */
export abstract class IdGenerator {
  abstract next(): string;
}

/** Time-ordered UUIDs (version 7), as `createEvent` makes: indexes on them take new ids at their end. */
export class UuidIdGenerator extends IdGenerator {
  next(): string {
    return uuidv7();
  }
}
