import type { KafkaSaslMechanism } from '@ioc/observability';
import { Kafka, logLevel as KafkaLogLevel, type RetryOptions } from 'kafkajs';
import { kafkaLogCreator, type MessagingLogger } from '../logger';

/** Log level names, as in pino. */
export type MessagingLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/** The user a client authenticates as, with the mechanism the brokers' listener asks for. */
export type KafkaSasl = {
  [M in KafkaSaslMechanism]: { mechanism: M; username: string; password: string };
}[KafkaSaslMechanism];

/** Who a client is to the brokers and whether its connections are encrypted; neither when absent. */
export interface KafkaSecurity {
  /** SASL credentials; absent: unauthenticated. */
  sasl?: KafkaSasl;
  /** TLS, the brokers' certificates verified against `ca` (PEM) when given, else against Node's trusted CAs. */
  tls?: { ca?: string };
}

/** Where the brokers are and how to connect to them (what {@link kafkaConnection} reads from the settings). */
export interface KafkaConnection extends KafkaSecurity {
  brokers: string[];
}

/** How to reach the brokers. */
export interface CreateKafkaOptions extends KafkaConnection {
  clientId: string;
  /** Default `warn`: kafkajs is chatty at `info` (every join, every commit). */
  logLevel?: MessagingLogLevel;
  /** Where kafkajs logs go; kafkajs' console logger when absent. */
  logger?: MessagingLogger;
  /** Overrides of the retry settings (default: 300 ms doubling to 30 s, 8 retries). */
  retry?: Pick<RetryOptions, 'initialRetryTime' | 'maxRetryTime' | 'retries'>;
}

const levels: Record<MessagingLogLevel, KafkaLogLevel> = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

/**
 * A kafkajs client. Retries broker requests with exponential backoff (kafkajs' retrier, up to ~30 s per
 * operation) so a broker restart is ridden out rather than surfaced.
 */
export function createKafka(options: CreateKafkaOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, maxRetryTime: 30_000, retries: 8, ...options.retry },
    logLevel: levels[options.logLevel ?? 'warn'],
    ...(options.logger ? { logCreator: kafkaLogCreator(options.logger) } : {}),
    ...(options.sasl ? { sasl: options.sasl } : {}),
    ...(options.tls ? { ssl: options.tls.ca === undefined ? true : { ca: [options.tls.ca] } } : {}),
  });
}
