import { type IocEvent, withTraceAttributes } from '@ioc/contracts';
import {
  continueTrace,
  currentCorrelationId,
  currentTraceparent,
  formatTraceparent,
  newCorrelationId,
  newTrace,
  runWithCorrelation,
} from '@ioc/observability';

/**
 * `events` with the current flow's correlation id and `traceparent` (docs/architecture.md, "Tracing across
 * Kafka") wherever the caller set none: those of the HTTP request or the consumed event being handled.
 * Outside any flow (a timer), the events of one call start a flow of their own, so every event carries both.
 */
export function withTraceContext<E extends IocEvent>(events: readonly E[]): E[] {
  let correlationid = currentCorrelationId();
  let traceparent = currentTraceparent();
  if (correlationid === undefined || traceparent === undefined) {
    correlationid = newCorrelationId();
    traceparent = formatTraceparent(newTrace());
  }
  const trace = { correlationid, traceparent };
  return events.map((event) => withTraceAttributes(event, trace));
}

/**
 * Runs `fn`, the handling of a consumed `event`, in the event's flow: its correlation id (a new one when it
 * has none) and a new span whose parent is the event's `traceparent` (a new trace when it has none or an
 * invalid one). Log lines written meanwhile, and the events the handling writes, carry them.
 */
export function runInEventContext<T>(event: Pick<IocEvent, 'correlationid' | 'traceparent'>, fn: () => T): T {
  return runWithCorrelation(event.correlationid ?? newCorrelationId(), fn, continueTrace(event.traceparent));
}
