import { randomFillSync } from 'node:crypto';

/**
 * A position in a W3C Trace Context trace (https://www.w3.org/TR/trace-context/): the trace, the span of
 * the current unit of work (an HTTP request, the handling of one consumed event), and the sampled flag.
 */
export interface TraceContext {
  /** 32 lower-case hex digits, not all zero. */
  traceId: string;
  /** 16 lower-case hex digits, not all zero: the span of the current unit of work. */
  spanId: string;
  sampled: boolean;
}

/** The HTTP header (and CloudEvents Distributed Tracing attribute) carrying the trace context. */
export const TRACEPARENT_HEADER = 'traceparent';

// version "-" trace-id "-" parent-id "-" trace-flags, lower-case hex only (Trace Context §3.2.2). A later
// version may append fields after a "-"; its first four fields are read as version 00's (§3.2.4), and what
// we propagate is version 00.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/**
 * The trace context of a `traceparent` value, or `undefined` when it is malformed: not a string (a
 * repeated header), upper-case hex, version `ff`, an all-zero trace or parent id, or a version 00 value
 * with anything after the flags. A caller that gets `undefined` starts a new trace (§3.2.2: a malformed
 * traceparent is ignored, never repaired).
 */
export function parseTraceparent(value: unknown): TraceContext | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  // Only the sampled bit (0x01) is defined for version 00; other bits are not propagated.
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 0x01) === 1 };
}

/** The version 00 `traceparent` value of `context`. */
export function formatTraceparent({ traceId, spanId, sampled }: TraceContext): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

/**
 * A new trace with a random trace id. Not sampled: the services record no spans, only log lines carrying
 * the trace and span ids.
 */
export function newTrace(): TraceContext {
  return { traceId: randomHex(16), spanId: randomHex(8), sampled: false };
}

/** A new span of `parent`'s trace, whose parent is `parent`'s span. */
export function childSpan(parent: TraceContext): TraceContext {
  let spanId = randomHex(8);
  while (spanId === parent.spanId) spanId = randomHex(8);
  return { traceId: parent.traceId, spanId, sampled: parent.sampled };
}

/**
 * The trace context of work caused by a caller who sent `traceparent`: a child span of the caller's when
 * the value is valid, otherwise a new trace.
 */
export function continueTrace(traceparent: unknown): TraceContext {
  const parent = parseTraceparent(traceparent);
  return parent ? childSpan(parent) : newTrace();
}

// Random bytes for ids, drawn from the CSPRNG a few kilobytes at a time (as Node does for randomUUID): a
// request takes three ids, and a randomBytes call each was a visible part of a request's CPU in a profile
// (docs/bench.md, "Reports"). Each byte is handed out once.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

// All-zero ids are invalid; with 64 or 128 random bits they never come up, but the rule costs one test.
function randomHex(bytes: number): string {
  for (;;) {
    if (poolOffset + bytes > pool.length) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
    poolOffset += bytes;
    if (/[^0]/.test(hex)) return hex;
  }
}
