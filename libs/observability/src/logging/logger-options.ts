import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Options } from 'pino-http';
import type { LogLevel } from '../config/env';
import { correlationIdFrom, correlationLogFields, logFieldsOf, traceFrom } from './correlation';
import { redact, redactHeaders, redactUrl } from './redact';
import { serializeError } from './serialize-error';

/** How a service logs. */
export interface LoggingOptions {
  /** Service name, on every line as `service`. */
  service: string;
  /** Minimum level; default `info`. */
  level?: LogLevel;
  /** Where JSON lines go; default stdout. Tests pass a stream to capture lines. */
  destination?: DestinationStream;
}

// Operational endpoints are scraped every few seconds; logging each scrape drowns real traffic.
const QUIET_PATHS = /^\/(metrics|health\/(live|ready))(\?|$)/;

/** The root pino logger: JSON, `service` on every line, personal data and secrets redacted at any depth. */
export function createRootLogger({ service, level = 'info', destination }: LoggingOptions): Logger {
  const options: LoggerOptions = {
    level,
    // pid and hostname (the pod name in Kubernetes) tell instances of one service apart.
    base: { service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redact(object),
    },
    mixin: correlationLogFields,
    serializers: { err: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}

interface SerializedRequest {
  url?: string;
  headers?: Record<string, unknown>;
  query?: unknown;
  params?: unknown;
}

/** pino-http options: request id, correlation and trace ids, status-driven level, redacted request/response. */
export function httpLoggerOptions(logger: Logger): Options {
  return {
    logger,
    genReqId: () => randomUUID(),
    customProps: (req: IncomingMessage) => logFieldsOf(correlationIdFrom(req), traceFrom(req)),
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test(req.url ?? '') },
    serializers: {
      // pino-http hands over already-mapped objects (wrapSerializers); the body is never among them.
      req: (req: SerializedRequest) => ({
        ...req,
        url: req.url === undefined ? undefined : redactUrl(req.url),
        headers: redactHeaders(req.headers),
        query: redact(req.query),
        params: redact(req.params),
      }),
      res: (res: { headers?: Record<string, unknown> }) => ({ ...res, headers: redactHeaders(res.headers) }),
      err: serializeError,
    },
  };
}
