import { IocError, type IocErrorKind, isDependencyUnavailable } from '@ioc/observability';

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
 * it becomes `ioc-dlq-detail` (after `sanitizeDetail`). How other errors are sorted: {@link classifyFailure}.
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

/** DLQ reasons the runner gives a message that failed when applied (see {@link classifyFailure}). */
export const FailureReasons = {
  /** A failure of no known kind that recurred on the message alone. */
  handlerFailed: 'handler.failed',
} as const;

/**
 * The verdict on a failure while applying a chunk: `transient` when the infrastructure is at fault (retry
 * the chunk, commit nothing), `poison` when the message may be (isolate it; once it fails on its own, it
 * goes to the DLQ with `reason` and `detail`).
 */
export type FailureClass = { kind: 'poison'; reason: string; detail: string } | { kind: 'transient' };

// Domain errors a service throws to say "later": the dependency, not the message, is at fault.
const TRANSIENT_KINDS: ReadonlySet<IocErrorKind> = new Set(['unavailable', 'rate_limited']);

// SQLSTATE classes (PostgreSQL, Appendix A "Error Codes") where the server or the session failed, not the
// statement's data: connection exceptions, insufficient resources, operator intervention (shutdown,
// cannot connect now), system errors. And those where the deployment is at fault (a missing table or
// column, a wrong schema, database or role): dead-lettering would drain the whole stream into the DLQ for
// one bad release, while retrying keeps the messages and turns readiness red.
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '57', '58', '42', '3D', '3F', '28']);
// Single states that a retry resolves: serialization failure, deadlock, lock not available.
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03']);
// Query cancelled (a statement_timeout, usually): class 57, but the statement may be slow because of its
// data, so it is treated like an unknown error: isolated, and dead-lettered if it recurs alone.
const NOT_TRANSIENT_SQLSTATES = new Set(['57014']);
// Data exceptions (class 22: a string too long, an invalid byte such as U+0000, a number out of range) and
// integrity constraint violations (class 23: CHECK, NOT NULL, foreign and unique keys) are deterministic.
const DETERMINISTIC_SQLSTATE_CLASSES: ReadonlyMap<string, string> = new Map([
  ['22', 'data_exception'],
  ['23', 'integrity_violation'],
]);
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * Sorts a failure met while applying a chunk (an error thrown by a handler, the inbox or the database),
 * looking through wrappers (`cause`, TypeORM's `driverError`):
 *
 * 1. a {@link PoisonMessageError} anywhere: poison, with its code as reason (the handler said so);
 * 2. the infrastructure failing: a Postgres SQLSTATE of class 08, 53, 57 (but 57014), 58, or of a broken
 *    deployment (42, 3D, 3F, 28), or 40001, 40P01, 55P03; a socket error; a node-postgres connection
 *    error; any kafkajs error; an `IocError` of kind `unavailable` or `rate_limited`: transient;
 * 3. a Postgres data exception (class 22) or integrity violation (class 23): poison, reason
 *    `db.data_exception.<SQLSTATE>` or `db.integrity_violation.<SQLSTATE>`;
 * 4. another `IocError` (validation, not found, conflict …): poison, with its code as reason;
 * 5. anything else (a bug, an unexpected error): poison, reason `handler.failed`, detail the error's name.
 *
 * "Poison" tells the runner to isolate the message; cases 4 and 5 are thus dead-lettered only when they
 * recur on the message alone (see `BatchConsumerRunner`).
 */
export function classifyFailure(error: unknown): FailureClass {
  const chain = causeChain(error);
  const declared = chain.find((link) => link instanceof PoisonMessageError);
  if (declared) return { kind: 'poison', reason: declared.code, detail: declared.message };
  if (chain.some(isTransient)) return { kind: 'transient' };
  for (const link of chain) {
    const state = sqlState(link);
    const className = state && DETERMINISTIC_SQLSTATE_CLASSES.get(state.slice(0, 2));
    if (state && className) {
      return { kind: 'poison', reason: `db.${className}.${state}`, detail: databaseDetail(link, state) };
    }
  }
  const domain = chain.find((link): link is IocError => link instanceof IocError);
  if (domain && POISON_CODE.test(domain.code)) {
    return { kind: 'poison', reason: domain.code, detail: domain.message };
  }
  return { kind: 'poison', reason: FailureReasons.handlerFailed, detail: describeError(error) };
}

/** The error and what it wraps, outermost first; bounded, and safe against cycles. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let link = error; link != null && chain.length < 8 && !chain.includes(link);) {
    chain.push(link);
    const inner = link as { cause?: unknown; driverError?: unknown };
    link = inner.driverError ?? inner.cause;
  }
  return chain;
}

/** The SQLSTATE of a Postgres error (pg's DatabaseError, or TypeORM's QueryFailedError copying it). */
function sqlState(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && SQLSTATE.test(code) && typeof severity === 'string' ? code : undefined;
}

function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof IocError) return TRANSIENT_KINDS.has(error.kind);
  if (error.name.startsWith('KafkaJS')) return true;
  const state = sqlState(error);
  if (state) {
    if (NOT_TRANSIENT_SQLSTATES.has(state)) return false;
    return TRANSIENT_SQLSTATES.has(state) || TRANSIENT_SQLSTATE_CLASSES.has(state.slice(0, 2));
  }
  // A socket failure or a node-postgres connection error, on the way to Postgres or Kafka.
  return isDependencyUnavailable(error);
}

/**
 * Where and what, from the fields Postgres fills in (table, column, constraint names are schema, not
 * data), then its message; the DLQ publisher strips quoted values from it (see `sanitizeDetail`).
 */
function databaseDetail(error: unknown, state: string): string {
  const { table, column, constraint, message } = error as {
    table?: string;
    column?: string;
    constraint?: string;
    message: string;
  };
  const where = [
    table && `table ${table}`,
    column && `column ${column}`,
    constraint && `constraint ${constraint}`,
  ].filter(Boolean);
  return `SQLSTATE ${state}${where.length > 0 ? ` (${where.join(', ')})` : ''}: ${message}`;
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
