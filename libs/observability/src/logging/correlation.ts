import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The HTTP header carrying the correlation id in and out. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

// Ids we accept from callers: UUIDs, ULIDs, W3C trace ids and the like. Anything else (too long,
// spaces, control characters) could forge log lines or bloat them, so a fresh id replaces it.
const VALID_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

interface CorrelationStore {
  correlationId: string;
  /** True when the request logger already binds the id, so the log mixin must not repeat it. */
  boundByRequestLogger: boolean;
}

const storage = new AsyncLocalStorage<CorrelationStore>();
const requestIds = new WeakMap<object, string>();

/** True when `id` may be adopted as a correlation id. */
export function isValidCorrelationId(id: unknown): id is string {
  return typeof id === 'string' && VALID_ID.test(id);
}

/** A new random correlation id. */
export function newCorrelationId(): string {
  return randomUUID();
}

/**
 * The correlation id of an HTTP request: the caller's `x-correlation-id` when valid, otherwise a
 * new one. Stable for the lifetime of the request object, whoever asks first.
 */
export function correlationIdFrom(req: { headers: IncomingHttpHeaders }): string {
  let id = requestIds.get(req);
  if (id === undefined) {
    const header = req.headers[CORRELATION_ID_HEADER];
    id = isValidCorrelationId(header) ? header : newCorrelationId();
    requestIds.set(req, id);
  }
  return id;
}

/**
 * Runs `fn` with `correlationId` as the current correlation id for everything it calls,
 * synchronously or asynchronously: log lines, the outbox, Kafka consumers' handlers.
 */
export function runWithCorrelation<T>(correlationId: string, fn: () => T): T {
  return storage.run({ correlationId, boundByRequestLogger: false }, fn);
}

/** Like {@link runWithCorrelation}, for the HTTP middleware whose request logger already binds the id. */
export function runWithRequestCorrelation<T>(correlationId: string, fn: () => T): T {
  return storage.run({ correlationId, boundByRequestLogger: true }, fn);
}

/** The correlation id of the current async context, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Fields the root logger adds to each line written outside a request logger (Kafka handlers, jobs). */
export function correlationLogFields(): { correlationId?: string } {
  const store = storage.getStore();
  return store && !store.boundByRequestLogger ? { correlationId: store.correlationId } : {};
}
