import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { correlationIdFrom, logFieldsOf, traceFrom } from './correlation';
import { redact, redactHeaders, redactUrl } from './redact';

/** A request as far as its log lines read it (Express adds `originalUrl`, `query` and `params`). */
type LoggedRequest = IncomingMessage & { originalUrl?: string; query?: unknown; params?: unknown };

/** A response whose handling failed with a server error (the exception filter sets `err`). */
type LoggedResponse = ServerResponse & { err?: Error };

// Operational endpoints are scraped every few seconds; logging each scrape drowns real traffic.
const QUIET_PATHS = /^\/(metrics|health\/(live|ready))(\?|$)/;

const requestIds = new WeakMap<object, string>();

/** The id of a request in its log lines (`req.id`): a UUID, made when a line first needs it. */
export function requestIdOf(req: object): string {
  let id = requestIds.get(req);
  if (id === undefined) {
    id = randomUUID();
    requestIds.set(req, id);
  }
  return id;
}

/**
 * A request as its log lines show it: method, URL, query, route params and headers, personal data and
 * credentials redacted (docs/architecture.md, "Privacy"); never the body.
 */
export function requestLogView(req: LoggedRequest): Record<string, unknown> {
  const url = req.originalUrl ?? req.url;
  return {
    id: requestIdOf(req),
    method: req.method,
    url: url === undefined ? undefined : redactUrl(url),
    query: redact(req.query),
    params: redact(req.params),
    headers: redactHeaders(req.headers),
    remoteAddress: req.socket?.remoteAddress,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * The `request completed` line of each request, written when its response ends (or the connection closes
 * first): `error` for a failure or a 5xx (with the error the exception filter set), `warn` for a 4xx,
 * `info` otherwise, with the request, the response status and headers, the duration and the flow's ids.
 * Nothing is built for a request until its line is due and the level writes it, so logging at `warn`
 * costs a 2xx request no more than a listener.
 */
export class RequestLog {
  constructor(private readonly logger: Logger) {}

  track(req: LoggedRequest, res: LoggedResponse): void {
    if (QUIET_PATHS.test(req.url ?? '')) return;
    const start = Date.now();
    let done = false;
    const complete = (error?: Error) => {
      if (done) return;
      done = true;
      const err = error ?? res.err;
      const level = err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      if (!this.logger.isLevelEnabled(level)) return;
      const line = {
        ...logFieldsOf(correlationIdFrom(req), traceFrom(req)),
        req: requestLogView(req),
        res: { statusCode: res.statusCode, headers: redactHeaders(res.getHeaders()) },
        responseTime: Date.now() - start,
      };
      if (level === 'error') {
        this.logger.error(
          { ...line, err: err ?? new Error(`failed with status code ${res.statusCode}`) },
          'request errored',
        );
      } else this.logger[level](line, 'request completed');
    };
    res.once('finish', () => complete());
    res.once('close', () => complete());
    res.once('error', complete);
  }
}
