import { z } from 'zod';
import { formatDuration, parseDuration } from './duration';

// Environment variables are strings; these fragments turn them into typed values with messages
// phrased as predicates, so loadConfig can say "PORT must be an integer between 1 and 65535".

function fromString<T>(message: string, parse: (text: string) => T | undefined) {
  return z.string().transform((text, ctx): T => {
    const value = parse(text.trim());
    if (value === undefined) {
      ctx.issues.push({ code: 'custom', message, input: text });
      return z.NEVER;
    }
    return value;
  });
}

/** An integer, optionally bounded: `envInt({ min: 1, max: 65535 })`. */
export function envInt({ min, max }: { min?: number; max?: number } = {}) {
  const range =
    min !== undefined && max !== undefined
      ? ` between ${min} and ${max}`
      : min !== undefined
        ? ` of at least ${min}`
        : max !== undefined
          ? ` of at most ${max}`
          : '';
  return fromString(`must be an integer${range}`, (text) => {
    if (!/^-?\d+$/.test(text)) return undefined;
    const value = Number(text);
    const inRange = (min === undefined || value >= min) && (max === undefined || value <= max);
    return Number.isSafeInteger(value) && inRange ? value : undefined;
  });
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** A boolean written as true/false, 1/0, yes/no or on/off (any case). */
export function envBool() {
  return fromString('must be true or false', (text) => {
    const lower = text.toLowerCase();
    return TRUE.has(lower) ? true : FALSE.has(lower) ? false : undefined;
  });
}

/** A duration (`500ms`, `30s`, `5m`, `1h`, `1d`, or bare milliseconds) parsed to milliseconds. */
export function envDuration({ min, max }: { min?: number; max?: number } = {}) {
  const range =
    min !== undefined && max !== undefined
      ? ` between ${formatDuration(min)} and ${formatDuration(max)}`
      : min !== undefined
        ? ` of at least ${formatDuration(min)}`
        : max !== undefined
          ? ` of at most ${formatDuration(max)}`
          : '';
  return fromString(`must be a duration such as 500ms, 30s, 5m or 1h${range}`, (text) => {
    const ms = parseDuration(text);
    if (ms === undefined) return undefined;
    return (min === undefined || ms >= min) && (max === undefined || ms <= max) ? ms : undefined;
  });
}

/** A comma-separated list of non-empty items. */
export function envList() {
  return fromString('must be a comma-separated list', (text) => {
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
    return items.length > 0 ? items : undefined;
  });
}

/** A URL whose scheme is one of `protocols` (e.g. `['https:']`). */
export function envUrl(protocols: readonly string[]) {
  const schemes = protocols.map((p) => p.replace(/:$/, ''));
  return fromString(`must be a URL (${schemes.join(' or ')})`, (text) => {
    const url = URL.canParse(text) ? new URL(text) : undefined;
    return url && protocols.includes(url.protocol) ? text : undefined;
  });
}

/** True when `zone` is a time zone the runtime's Intl knows (IANA names such as Asia/Ho_Chi_Minh). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const BROKER = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/** NODE_ENV: development (default), test or production. */
export const nodeEnvVar = z
  .enum(['development', 'test', 'production'], { error: 'must be one of development, test, production' })
  .default('development');

/** Pino log levels accepted by LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** SASL mechanisms a Kafka client may authenticate with (KAFKA_SASL_MECHANISM), as kafkajs names them. */
export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

const kafkaFields = z.object({
  /** Bootstrap brokers. */
  KAFKA_BROKERS: fromString('must be a comma-separated list of host:port', (text) => {
    const brokers = text.split(',').map((broker) => broker.trim());
    return brokers.every((broker) => BROKER.test(broker)) ? brokers : undefined;
  }),
  /** SASL mechanism of the brokers' listener; unset connects unauthenticated. `plain` sends the password as is: only with KAFKA_TLS. */
  KAFKA_SASL_MECHANISM: z
    .enum(KAFKA_SASL_MECHANISMS, { error: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}` })
    .optional(),
  /** The Kafka user this service authenticates as (in Kubernetes, its KafkaUser). */
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  /** That user's password (in Kubernetes, from the KafkaUser's Secret); never logged. */
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** Connect to the brokers over TLS, verifying their certificates. */
  KAFKA_TLS: envBool().default(false),
  /** PEM file of the CA(s) that signed the brokers' certificates, trusted instead of Node's own list (Strimzi: the cluster CA). */
  KAFKA_TLS_CA_FILE: z.string().min(1).optional(),
});
type KafkaFields = z.infer<typeof kafkaFields>;

// `when` runs a rule even when other variables are bad, so loadConfig reports all problems at once.
const rule = (variable: keyof KafkaFields, error: string) => ({ path: [variable], error, when: () => true });
const WITH_MECHANISM = 'is required when KAFKA_SASL_MECHANISM is set';

/**
 * The rules between the Kafka variables: a mechanism needs a user and a password, credentials need a mechanism
 * (else they would be silently unused), a CA file needs TLS. A schema built from `kafkaEnv.shape` or
 * `commonEnv.shape` (every app's, beside `authEnv`'s rules) loses them: add them back with
 * `.check(...kafkaEnvRules)`.
 */
export const kafkaEnvRules = [
  z.refine<KafkaFields>(
    (env) => env.KAFKA_SASL_MECHANISM === undefined || env.KAFKA_SASL_USERNAME !== undefined,
    rule('KAFKA_SASL_USERNAME', WITH_MECHANISM),
  ),
  z.refine<KafkaFields>(
    (env) => env.KAFKA_SASL_MECHANISM === undefined || env.KAFKA_SASL_PASSWORD !== undefined,
    rule('KAFKA_SASL_PASSWORD', WITH_MECHANISM),
  ),
  z.refine<KafkaFields>(
    (env) =>
      env.KAFKA_SASL_MECHANISM !== undefined ||
      (env.KAFKA_SASL_USERNAME === undefined && env.KAFKA_SASL_PASSWORD === undefined),
    rule('KAFKA_SASL_MECHANISM', 'is required when KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is set'),
  ),
  z.refine<KafkaFields>(
    (env) => env.KAFKA_TLS_CA_FILE === undefined || env.KAFKA_TLS === true,
    rule('KAFKA_TLS_CA_FILE', 'must be unset unless KAFKA_TLS=true'),
  ),
];

/**
 * How to reach Kafka and who to be there: the brokers, SASL credentials and TLS. Part of {@link commonEnv}; a
 * command that talks to Kafka and nothing else (topic provisioning) extends this one.
 */
export const kafkaEnv = kafkaFields.check(...kafkaEnvRules);

/** The parsed {@link kafkaEnv}. */
export type KafkaEnv = z.infer<typeof kafkaEnv>;

/**
 * Variables every service shares, Kafka-only ones included (a database service adds `databaseEnv` from
 * `@ioc/database`), with the {@link kafkaEnvRules}. Extend it per app:
 * `commonEnv.safeExtend({ PORT: envInt({ min: 1, max: 65535 }).default(3001), ... })`; a schema that takes only
 * its `.shape` adds `.check(...kafkaEnvRules)`.
 */
export const commonEnv = z
  .object({
    /** `production` refuses development shortcuts (the local token issuer). */
    NODE_ENV: nodeEnvVar,
    /** Lowest level written to the JSON log. */
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    /** HTTP port. */
    PORT: envInt({ min: 1, max: 65535 }).default(3000),
    ...kafkaFields.shape,
    /** kafkajs client id; the service's name by default. */
    KAFKA_CLIENT_ID: z.string().min(1).optional(),
    /** Appended to every topic name and consumer group id, to isolate an environment or a test run. */
    IOC_TOPIC_SUFFIX: z
      .string()
      .regex(/^[a-z0-9_-]+$/, { error: 'must contain only a-z, 0-9, _ and -' })
      .optional(),
    /** The city's zone: day and month boundaries of KPIs, local hours of rules. */
    CITY_TIMEZONE: z
      .string()
      .refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Ho_Chi_Minh' })
      .default('Asia/Ho_Chi_Minh'),
  })
  .check(...kafkaEnvRules);

/** The parsed {@link commonEnv}. */
export type CommonEnv = z.infer<typeof commonEnv>;
