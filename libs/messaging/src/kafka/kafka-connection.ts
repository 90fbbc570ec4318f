import { readFileSync } from 'node:fs';
import { ConfigError, type KafkaEnv } from '@ioc/observability';
import type { KafkaConnection, KafkaSasl } from './kafka.factory';

/**
 * The brokers, SASL credentials and TLS that a service's or a command's settings give (`KAFKA_BROKERS`,
 * `KAFKA_SASL_*`, `KAFKA_TLS`, `KAFKA_TLS_CA_FILE`), for {@link createKafka}. Reads the CA file now, so that a
 * missing one stops the start with the variable named rather than failing every connection later.
 *
 * @throws ConfigError when KAFKA_TLS_CA_FILE cannot be read or holds no certificate.
 */
export function kafkaConnection(env: KafkaEnv): KafkaConnection {
  const sasl = saslOf(env);
  return {
    brokers: env.KAFKA_BROKERS,
    ...(sasl ? { sasl } : {}),
    ...(env.KAFKA_TLS
      ? { tls: env.KAFKA_TLS_CA_FILE === undefined ? {} : { ca: caFile(env.KAFKA_TLS_CA_FILE) } }
      : {}),
  };
}

function saslOf(env: KafkaEnv): KafkaSasl | undefined {
  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
  } = env;
  if (mechanism === undefined) return undefined;
  // kafkaEnvRules make a mechanism come with both; checked again for a config parsed without them.
  if (username === undefined || password === undefined) {
    throw new ConfigError(
      ['KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required when KAFKA_SASL_MECHANISM is set'],
      ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'],
    );
  }
  return { mechanism, username, password };
}

function caFile(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([`KAFKA_TLS_CA_FILE cannot be read (${code})`], ['KAFKA_TLS_CA_FILE']);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(['KAFKA_TLS_CA_FILE must be a PEM file of certificates'], ['KAFKA_TLS_CA_FILE']);
  }
  return pem;
}
