import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { commonEnv, envDuration, envUrl } from './env';
import { loadConfig } from './load-config';
import { configToken, provideConfig } from './provide-config';

const validEnv = { KAFKA_BROKERS: 'kafka-0:9092, kafka-1:9092' };
// A service's schema with a secret-bearing URL, as a database service has.
const withDatabase = commonEnv.extend({ DATABASE_URL: envUrl(['postgres:', 'postgresql:']) });

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  it('parses the shared variables with their defaults', () => {
    const sut = loadConfig(commonEnv, validEnv);

    expect(sut).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      PORT: 3000,
      KAFKA_BROKERS: ['kafka-0:9092', 'kafka-1:9092'],
      KAFKA_TLS: false,
      CITY_TIMEZONE: 'Asia/Ho_Chi_Minh',
    });
  });

  it('names every missing and every bad variable in one message', () => {
    const error = configErrorOf(() =>
      loadConfig(withDatabase, { PORT: '70000', NODE_ENV: 'staging', CITY_TIMEZONE: 'Mars/Olympus_Mons' }),
    );

    expect(error.message).toBe(
      'Invalid configuration: ' +
        [
          'NODE_ENV must be one of development, test, production',
          'PORT must be an integer between 1 and 65535',
          'KAFKA_BROKERS is required',
          'CITY_TIMEZONE must be an IANA time zone such as Asia/Ho_Chi_Minh',
          'DATABASE_URL is required',
        ].join('; '),
    );
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.details).toEqual({
      variables: ['NODE_ENV', 'PORT', 'KAFKA_BROKERS', 'CITY_TIMEZONE', 'DATABASE_URL'],
    });
  });

  it('never echoes a value, even of a malformed secret', () => {
    const error = configErrorOf(() =>
      loadConfig(withDatabase, { ...validEnv, DATABASE_URL: 'mysql://root:hunter2-secret@db/ioc' }),
    );

    expect(error.message).toBe('Invalid configuration: DATABASE_URL must be a URL (postgres or postgresql)');
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('treats an empty value as unset', () => {
    const error = configErrorOf(() => loadConfig(commonEnv, { ...validEnv, KAFKA_BROKERS: '' }));

    expect(error.problems).toEqual(['KAFKA_BROKERS is required']);
  });

  it.each([
    ['KAFKA_BROKERS', 'kafka-0', 'KAFKA_BROKERS must be a comma-separated list of host:port'],
    ['IOC_TOPIC_SUFFIX', 'Run 1', 'IOC_TOPIC_SUFFIX must contain only a-z, 0-9, _ and -'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    ['PORT', '80.5', 'PORT must be an integer between 1 and 65535'],
  ])('rejects %s=%j', (variable, value, problem) => {
    const error = configErrorOf(() => loadConfig(commonEnv, { ...validEnv, [variable]: value }));

    expect(error.problems).toEqual([problem]);
  });

  it('accepts IPv6 brokers, a topic suffix and another city zone', () => {
    const sut = loadConfig(commonEnv, {
      ...validEnv,
      KAFKA_BROKERS: '[::1]:19092',
      IOC_TOPIC_SUFFIX: 'ci_42-a',
      CITY_TIMEZONE: 'Asia/Bangkok',
    });

    expect(sut).toMatchObject({
      KAFKA_BROKERS: ['[::1]:19092'],
      IOC_TOPIC_SUFFIX: 'ci_42-a',
      CITY_TIMEZONE: 'Asia/Bangkok',
    });
  });

  it('reports cross-field rules of an extended schema together with missing variables', () => {
    const schema = withDatabase
      .extend({ FEATURE_URL: z.string().optional(), FEATURE_ON: z.enum(['yes', 'no']).default('no') })
      .refine((env) => env.FEATURE_ON === 'no' || env.FEATURE_URL !== undefined, {
        path: ['FEATURE_URL'],
        error: 'is required when FEATURE_ON=yes',
        when: () => true,
      });

    const error = configErrorOf(() => loadConfig(schema, { FEATURE_ON: 'yes', KAFKA_BROKERS: 'k:1' }));

    expect(error.problems).toEqual([
      'DATABASE_URL is required',
      'FEATURE_URL is required when FEATURE_ON=yes',
    ]);
  });

  it('words a foreign zod message without the value', () => {
    const schema = z.object({ TIMEOUT: envDuration(), RATIO: z.coerce.number().max(1) });

    const error = configErrorOf(() => loadConfig(schema, { TIMEOUT: 'soon', RATIO: '7' }));

    expect(error.problems).toEqual([
      'TIMEOUT must be a duration such as 500ms, 30s, 5m or 1h',
      'RATIO is invalid (Too big: expected number to be <=1)',
    ]);
  });
});

describe(provideConfig.name, () => {
  const schema = z.object({ GREETING: z.string() });
  class GreetingConfig extends configToken(schema) {}

  @Injectable()
  class Greeter {
    constructor(readonly config: GreetingConfig) {}
  }

  it('injects the parsed config under its class token, frozen', async () => {
    const config = loadConfig(schema, { GREETING: 'xin chào' });
    @Module({ providers: [provideConfig(GreetingConfig, config), Greeter] })
    class AppModule {}

    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const sut = moduleRef.get(Greeter);

    expect(sut.config.GREETING).toBe('xin chào');
    expect(Object.isFrozen(sut.config)).toBe(true);
  });
});
