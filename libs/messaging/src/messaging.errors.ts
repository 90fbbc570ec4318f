import { IocError, type IocErrorKind } from '@ioc/observability';

/** A messaging failure with a stable `code`, safe to log and to put in a DLQ header. */
export class MessagingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

// A reason travels in a DLQ header and a metric label: short, ASCII, from a bounded set of codes.
const POISON_CODE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

/**
 * Thrown by a consumer's handler when an event can never be applied, whatever the retries (e.g. it names
 * an unknown camera). The runner rolls the event's effect back, records it as dead-lettered and sends it
 * to the DLQ with `code` as `ioc-dlq-reason`. Subclass it per rule. Keep `message` free of personal data:
 * it becomes `ioc-dlq-detail` (after {@link sanitizeDetail}).
 * Any other error is treated as transient and retried (CONVENTIONS "Errors").
 */
export class PoisonMessageError extends MessagingError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    if (!POISON_CODE.test(code)) {
      throw new MessagingError(
        'MESSAGING.INVALID_POISON_CODE',
        `invalid poison code ${JSON.stringify(code)}`,
      );
    }
    super(code, message, options);
  }
}

/**
 * Thrown out of kafkajs' `eachBatch` once a transient failure outlived the retry policy. It is marked
 * retriable so kafkajs restarts the consumer from the last committed offset instead of crashing for good.
 */
export class RetriesExhaustedError extends MessagingError {
  readonly retriable = true;

  constructor(attempts: number, cause: unknown) {
    super('MESSAGING.RETRIES_EXHAUSTED', `gave up after ${attempts} attempts: ${describeError(cause)}`, {
      cause,
    });
  }
}

/** The verdict on a handler failure. */
export type FailureClass = { kind: 'poison'; reason: string; detail: string } | { kind: 'transient' };

// Domain errors a service also throws at its HTTP edge that no retry can cure. `conflict` is not among
// them: a stale version succeeds on retry; a handler throws PoisonMessageError for a permanent conflict.
const PERMANENT_KINDS: ReadonlySet<IocErrorKind> = new Set(['validation', 'not_found', 'payload_too_large']);

/**
 * Poison: a {@link PoisonMessageError}, or an `IocError` of a kind no retry can cure (validation,
 * not_found, payload_too_large); its code becomes the DLQ reason. Anything else (database or broker down,
 * deadlocks, bugs) is transient.
 */
export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof PoisonMessageError)
    return { kind: 'poison', reason: error.code, detail: error.message };
  if (error instanceof IocError && PERMANENT_KINDS.has(error.kind) && POISON_CODE.test(error.code)) {
    return { kind: 'poison', reason: error.code, detail: error.message };
  }
  return { kind: 'transient' };
}

/**
 * Name and code of an error, never its message: driver and handler messages can quote row values
 * (a reporter's phone in a constraint violation), and these strings go to logs.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? `${error.name}(${code})` : error.name;
}
