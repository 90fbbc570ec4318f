// Socket-level failures (Node's system error codes) on the way to a dependency: Postgres, Kafka, another service.
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// node-postgres (pg, pg-pool) raises its connection failures without a code.
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect)/i;
// SQLSTATEs (PostgreSQL, Appendix A "Error Codes") of a server that is not serving, whatever the statement: class
// 08 (connection exception), class 53 (insufficient resources: too many connections, out of memory or disk),
// 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up, recovering).
const UNAVAILABLE_SQLSTATE_CLASSES: ReadonlySet<string> = new Set(['08', '53']);
const UNAVAILABLE_SQLSTATES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03']);
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * Whether `error`, or an error it wraps (`cause`, TypeORM's `driverError`), says that a dependency could not be
 * reached or is not serving: a socket failure, a node-postgres connection error, a Postgres SQLSTATE of a server
 * shutting down, starting up or out of connections. What failed may succeed later and was not the caller's fault:
 * the HTTP edge answers it 503 (`toErrorResponse`), a consumer retries it (`classifyFailure` of `@ioc/messaging`).
 */
export function isDependencyUnavailable(error: unknown): boolean {
  const seen: unknown[] = [];
  for (let link = error; link != null && seen.length < 8 && !seen.includes(link);) {
    if (isUnavailable(link)) return true;
    seen.push(link);
    const inner = link as { cause?: unknown; driverError?: unknown };
    link = inner.driverError ?? inner.cause;
  }
  return false;
}

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  if (typeof code === 'string' && SQLSTATE.test(code) && typeof severity === 'string') {
    return UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SQLSTATE_CLASSES.has(code.slice(0, 2));
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return PG_CONNECTION_MESSAGES.test(error.message);
}
