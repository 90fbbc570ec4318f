import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, kafkaEnv, loadConfig, redact } from '@ioc/observability';
import { Kafka } from 'kafkajs';
import { kafkaConnection } from './kafka-connection';
import { createKafka } from './kafka.factory';

// The client kafkajs would be given, recorded instead of built.
jest.mock('kafkajs', () => {
  const actual = jest.requireActual<typeof import('kafkajs')>('kafkajs');
  return { ...actual, Kafka: jest.fn() };
});
const KafkaMock = jest.mocked(Kafka);

const PASSWORD = 'sc4m-Pa55word-never-logged';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const dir = mkdtempSync(path.join(tmpdir(), 'kafka-connection-'));
const caFile = path.join(dir, 'ca.crt');
writeFileSync(caFile, PEM);
const notPem = path.join(dir, 'not.pem');
writeFileSync(notPem, 'hello');

const scram = {
  KAFKA_BROKERS: 'ioc-kafka-kafka-bootstrap.ioc.svc:9093',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'reports',
  KAFKA_SASL_PASSWORD: PASSWORD,
};

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe(kafkaConnection.name, () => {
  beforeEach(() => KafkaMock.mockClear());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives kafkajs neither SASL nor TLS when the settings name none', () => {
    const connection = kafkaConnection(loadConfig(kafkaEnv, { KAFKA_BROKERS: 'kafka:9092' }));
    createKafka({ clientId: 'reports', ...connection });

    expect(connection).toEqual({ brokers: ['kafka:9092'] });
    const [config] = KafkaMock.mock.calls[0];
    expect(config).toMatchObject({ clientId: 'reports', brokers: ['kafka:9092'] });
    expect(config).not.toHaveProperty('sasl');
    expect(config).not.toHaveProperty('ssl');
  });

  it('gives kafkajs the SASL user and TLS verified against the CA file', () => {
    const env = loadConfig(kafkaEnv, { ...scram, KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: caFile });
    createKafka({ clientId: 'reports', ...kafkaConnection(env) });

    expect(KafkaMock.mock.calls[0][0]).toMatchObject({
      brokers: ['ioc-kafka-kafka-bootstrap.ioc.svc:9093'],
      sasl: { mechanism: 'scram-sha-512', username: 'reports', password: PASSWORD },
      ssl: { ca: [PEM] },
    });
  });

  it("trusts Node's CAs under TLS without a CA file", () => {
    createKafka({ clientId: 'x', ...kafkaConnection(loadConfig(kafkaEnv, { ...scram, KAFKA_TLS: 'yes' })) });

    expect(KafkaMock.mock.calls[0][0]).toMatchObject({ ssl: true, sasl: { mechanism: 'scram-sha-512' } });
  });

  it('stops with the variable named when the CA file is missing or holds no certificate', () => {
    const missing = configErrorOf(() =>
      kafkaConnection(
        loadConfig(kafkaEnv, { ...scram, KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: path.join(dir, 'absent') }),
      ),
    );
    const garbage = configErrorOf(() =>
      kafkaConnection(loadConfig(kafkaEnv, { ...scram, KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: notPem })),
    );

    expect(missing.problems).toEqual(['KAFKA_TLS_CA_FILE cannot be read (ENOENT)']);
    expect(garbage.problems).toEqual(['KAFKA_TLS_CA_FILE must be a PEM file of certificates']);
  });

  it('refuses a mechanism without credentials in a config parsed without the rules', () => {
    const env = { ...loadConfig(kafkaEnv, scram), KAFKA_SASL_PASSWORD: undefined };

    expect(configErrorOf(() => kafkaConnection(env)).problems).toEqual([
      'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required when KAFKA_SASL_MECHANISM is set',
    ]);
  });

  it('is logged without the password', () => {
    const connection = kafkaConnection(loadConfig(kafkaEnv, scram));

    expect(JSON.stringify(redact({ connection }))).not.toContain(PASSWORD);
    expect(redact(connection).sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'reports',
      password: '[REDACTED]',
    });
  });
});
