import { Writable } from 'node:stream';
import { z } from 'zod';
import { createRootLogger } from '../logging/logger-options';
import { ConfigError } from './config-error';
import { describeEnv } from './env-docs';
import { commonEnv, kafkaEnv, kafkaEnvRules } from './env';
import { loadConfig } from './load-config';

const PASSWORD = 'sc4m-Pa55word-never-logged';
const brokers = { KAFKA_BROKERS: 'ioc-kafka-kafka-bootstrap.ioc.svc:9093' };
const scram = {
  ...brokers,
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'reports',
  KAFKA_SASL_PASSWORD: PASSWORD,
};

function problemsOf(schema: z.ZodType, env: Record<string, string>): readonly string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('kafkaEnv', () => {
  it('connects unauthenticated and without TLS unless told otherwise', () => {
    expect(loadConfig(kafkaEnv, brokers)).toEqual({
      KAFKA_BROKERS: ['ioc-kafka-kafka-bootstrap.ioc.svc:9093'],
      KAFKA_TLS: false,
    });
  });

  it('reads SASL credentials and TLS with a CA file', () => {
    const sut = loadConfig(kafkaEnv, { ...scram, KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: '/var/run/ca.crt' });

    expect(sut).toMatchObject({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'reports',
      KAFKA_SASL_PASSWORD: PASSWORD,
      KAFKA_TLS: true,
      KAFKA_TLS_CA_FILE: '/var/run/ca.crt',
    });
  });

  it.each([
    [
      'a mechanism without a password',
      { ...scram, KAFKA_SASL_PASSWORD: '' },
      ['KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set'],
    ],
    [
      'a mechanism without a user',
      { ...scram, KAFKA_SASL_USERNAME: '' },
      ['KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set'],
    ],
    [
      'a mechanism alone',
      { ...brokers, KAFKA_SASL_MECHANISM: 'scram-sha-256' },
      [
        'KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set',
        'KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set',
      ],
    ],
    [
      'credentials without a mechanism, which would go unused',
      { ...scram, KAFKA_SASL_MECHANISM: '' },
      ['KAFKA_SASL_MECHANISM is required when KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is set'],
    ],
    [
      'a mechanism kafkajs does not have',
      { ...scram, KAFKA_SASL_MECHANISM: 'gssapi' },
      ['KAFKA_SASL_MECHANISM must be one of scram-sha-512, scram-sha-256, plain'],
    ],
    [
      'a CA file without TLS',
      { ...brokers, KAFKA_TLS_CA_FILE: '/var/run/ca.crt' },
      ['KAFKA_TLS_CA_FILE must be unset unless KAFKA_TLS=true'],
    ],
  ])('refuses %s, naming the variable', (_, env, problems) => {
    expect(problemsOf(kafkaEnv, env)).toEqual(problems);
    expect(problemsOf(commonEnv, env)).toEqual(problems);
  });

  it('keeps its rules in a schema built from the shapes, as the apps build theirs', () => {
    const other = z.object({ FEATURE: z.string().optional() }).refine(() => true);
    const sut = other.safeExtend(commonEnv.shape).check(...kafkaEnvRules);

    expect(problemsOf(sut, { ...scram, KAFKA_SASL_PASSWORD: '' })).toEqual([
      'KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set',
    ]);
  });

  it('reports a rule together with the other bad variables', () => {
    expect(
      problemsOf(commonEnv, { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', PORT: '0' }),
    ).toEqual([
      'PORT must be an integer between 1 and 65535',
      'KAFKA_BROKERS is required',
      'KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set',
    ]);
  });

  it('lists the rules and no default for the password in the settings docs', () => {
    const settings = Object.fromEntries(describeEnv(commonEnv).map((setting) => [setting.name, setting]));

    expect(settings.KAFKA_SASL_PASSWORD).toEqual({
      name: 'KAFKA_SASL_PASSWORD',
      required: false,
      rule: 'must not be empty; is required when KAFKA_SASL_MECHANISM is set',
    });
    expect(settings.KAFKA_TLS).toMatchObject({ default: 'false' });
  });
});

describe('the Kafka password', () => {
  function capture() {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    return { logger: createRootLogger({ service: 'reports', destination }), text: () => chunks.join('') };
  }

  it('is redacted from a log line dumping the whole config, and from the credentials logged alone', () => {
    const config = loadConfig(commonEnv, scram);
    const out = capture();

    out.logger.info({ config }, 'settings');
    out.logger.info(
      { sasl: { mechanism: 'scram-sha-512', username: 'reports', password: PASSWORD } },
      'sasl',
    );

    expect(out.text()).not.toContain(PASSWORD);
    expect(out.text()).toContain('"KAFKA_SASL_PASSWORD":"[REDACTED]"');
    expect(out.text()).toContain('"KAFKA_SASL_USERNAME":"reports"');
  });

  it('is never echoed by a config error, even beside a bad value', () => {
    try {
      loadConfig(commonEnv, { ...scram, KAFKA_SASL_MECHANISM: 'scram', KAFKA_TLS: PASSWORD });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(JSON.stringify({ error, message: (error as Error).message })).not.toContain(PASSWORD);
      expect((error as ConfigError).problems).toEqual([
        'KAFKA_SASL_MECHANISM must be one of scram-sha-512, scram-sha-256, plain',
        'KAFKA_TLS must be true or false',
      ]);
    }
  });
});
