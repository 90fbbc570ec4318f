/** Base of the errors this library throws; `code` is stable and safe to log or return. */
export abstract class ContractError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A producer tried to create or encode an event that breaks its contract. A programming error: publishing it
 * would only send it to every consumer's dead-letter topic. `detail` names paths, never values (privacy rule).
 */
export class InvalidEventError extends ContractError {
  readonly code = 'EVENT.INVALID';

  constructor(
    readonly reason: 'envelope.invalid' | 'type.unknown' | 'schema.invalid',
    readonly detail: string,
  ) {
    super(`invalid event (${reason}): ${detail}`);
  }
}

/** A topic suffix Kafka would refuse in a topic name. */
export class InvalidTopicSuffixError extends ContractError {
  readonly code = 'TOPIC.INVALID_SUFFIX';

  constructor(readonly suffix: string) {
    super(
      'topic suffix may hold only letters, digits, ".", "_" and "-" (at most 100), and not start with "."',
    );
  }
}
