import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { LogLevel } from '../config/env';
import { currentFlow, logFieldsOf } from './correlation';
import { redact } from './redact';
import { requestLogView } from './request-log';
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

/**
 * The root pino logger: JSON, `service` on every line, personal data and secrets redacted at any depth. A line
 * written in a flow carries its correlation, trace and span ids, and in an HTTP request the request (see
 * {@link requestLogView}), built only for lines the level lets through: no logger is made per request.
 */
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
    mixin: flowLogFields,
    serializers: { err: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}

function flowLogFields(): object {
  const flow = currentFlow();
  if (!flow) return {};
  const ids = logFieldsOf(flow.correlationId, flow.trace);
  return flow.request ? { ...ids, req: requestLogView(flow.request as IncomingMessage) } : ids;
}
