import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  continueTrace,
  formatTraceparent,
  newTrace,
  type TraceContext,
  TRACEPARENT_HEADER,
} from './trace-context';

/** The HTTP header carrying the correlation id in and out. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

// Ids we accept from callers: UUIDs, ULIDs, W3C trace ids and the like. Anything else (too long,
// spaces, control characters) could forge log lines or bloat them, so a fresh id replaces it.
const VALID_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The flow a piece of work belongs to: its correlation id, its span and, for an HTTP request, the request. */
export interface Flow {
  correlationId: string;
  trace: TraceContext;
  /** The HTTP request being handled, if the flow is one. */
  request?: object;
}

const storage = new AsyncLocalStorage<Flow>();
const requestIds = new WeakMap<object, string>();
const requestTraces = new WeakMap<object, TraceContext>();

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
 * The trace context of an HTTP request: a child span of the caller's `traceparent` when valid, otherwise
 * a new trace. Stable for the lifetime of the request object, whoever asks first.
 */
export function traceFrom(req: { headers: IncomingHttpHeaders }): TraceContext {
  let trace = requestTraces.get(req);
  if (trace === undefined) {
    trace = continueTrace(req.headers[TRACEPARENT_HEADER]);
    requestTraces.set(req, trace);
  }
  return trace;
}

/**
 * Runs `fn` with `correlationId` and `trace` (by default a new trace) as the current context of everything
 * it calls, synchronously or asynchronously: log lines, the outbox and the producer (which stamp them on
 * the events they write), Kafka consumers' handlers.
 */
export function runWithCorrelation<T>(
  correlationId: string,
  fn: () => T,
  trace: TraceContext = newTrace(),
): T {
  return storage.run({ correlationId, trace }, fn);
}

/** Like {@link runWithCorrelation}, for the HTTP middleware: the flow of `request`, which its log lines show. */
export function runWithRequestCorrelation<T>(
  request: object,
  correlationId: string,
  trace: TraceContext,
  fn: () => T,
): T {
  return storage.run({ correlationId, trace, request }, fn);
}

/** The flow of the current async context, if any. */
export function currentFlow(): Flow | undefined {
  return storage.getStore();
}

/** The correlation id of the current async context, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** The `traceparent` of the current async context's span, if any. */
export function currentTraceparent(): string | undefined {
  const store = storage.getStore();
  return store && formatTraceparent(store.trace);
}

/** The ids a log line carries to tie it to its flow and its span. */
export interface CorrelationLogFields {
  correlationId?: string;
  traceId?: string;
  spanId?: string;
}

/** The log fields of a correlation id and trace context. */
export function logFieldsOf(correlationId: string, trace: TraceContext): CorrelationLogFields {
  return { correlationId, traceId: trace.traceId, spanId: trace.spanId };
}
