import { logLevel as KafkaLogLevel, type LogEntry, type logCreator } from 'kafkajs';
import { errorCodes } from 'kafkajs/src/protocol/error';

/**
 * The part of a pino logger the messaging lib uses, so a pino (or nestjs-pino `PinoLogger`) instance can
 * be passed as is. Fields never carry payloads, keys or header values (docs/architecture.md, "Privacy").
 */
export interface MessagingLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const ignore = (): void => undefined;

/** Discards everything; the default when no logger is given. */
export const silentLogger: MessagingLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * Broker answers kafkajs logs at ERROR although they are how a healthy cluster says "not yet" (a
 * coordinator still loading, a leader being elected) or "rejoin" (the group protocol's rebalance signals):
 * every error code kafkajs itself retries, and the group-membership codes after which a member rejoins.
 * Matched by message: a kafkajs log entry carries the error's message, not the error.
 */
const GROUP_MEMBERSHIP = new Set([
  'REBALANCE_IN_PROGRESS',
  'UNKNOWN_MEMBER_ID',
  'MEMBER_ID_REQUIRED',
  'ILLEGAL_GENERATION',
]);
const EXPECTED_MESSAGES = errorCodes
  .filter((error) => error.retriable || GROUP_MEMBERSHIP.has(error.type))
  .map((error) => error.message);

/** kafkajs restarts a crashed consumer only after a retriable crash, which its crash line already reported. */
const RESTARTING = /^Restarting the consumer in \d+ms$/;
/** Said by every idempotent producer with bounded retries (ours); the relay and the inbox make delivery at-least-once and idempotent anyway. */
const IDEMPOTENT_RETRIES_NOTICE =
  'Limiting retries for the idempotent producer may invalidate EoS guarantees';

type Level = keyof MessagingLogger;

function levelFor({ namespace, level, log }: LogEntry): Level {
  if (level === KafkaLogLevel.ERROR) {
    const text = `${log.message}\n${typeof log['error'] === 'string' ? log['error'] : ''}`;
    // Retries ran out: the operation failed, whatever the cause was.
    if (text.includes('KafkaJSNumberOfRetriesExceeded')) return 'error';
    if (RESTARTING.test(log.message)) return 'warn';
    if (EXPECTED_MESSAGES.some((message) => text.includes(message))) {
      // A connection logs every failed request; kafkajs retries it and reports what finally fails.
      return namespace === 'Connection' ? 'debug' : 'warn';
    }
    return 'error';
  }
  if (level === KafkaLogLevel.WARN) return log.message === IDEMPOTENT_RETRIES_NOTICE ? 'debug' : 'warn';
  return level === KafkaLogLevel.INFO ? 'info' : 'debug';
}

/**
 * A kafkajs `logCreator` writing to a {@link MessagingLogger}: kafkajs' fields without its timestamp,
 * tagged `component: 'kafkajs'` and the kafkajs namespace. What a healthy cluster answers while it gets
 * ready (start-up, rebalances, leader elections) is logged below `error`; failures stay `error`.
 */
export function kafkaLogCreator(logger: MessagingLogger): logCreator {
  return () => (entry: LogEntry) => {
    const { message, timestamp: _timestamp, ...extra } = entry.log;
    logger[levelFor(entry)]({ ...extra, component: 'kafkajs', namespace: entry.namespace }, message);
  };
}
