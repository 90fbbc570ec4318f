import { z } from 'zod';
import { describeEnv, settingsTable } from './env-docs';
import { envBool, envDuration, envInt, envList } from './env';

describe(describeEnv.name, () => {
  it('writes a default as the environment spells it, checked by parsing it back', () => {
    const sut = describeEnv(
      z.object({
        WEEK: envDuration({ min: 1_000 }).default(7 * 86_400_000),
        HALF_MINUTE: envDuration().default(30_000),
        ODD: envDuration().default(1_500),
        NEVER: envDuration().default(0),
        PORT: envInt({ min: 1, max: 65535 }).default(3000),
        ENABLED: envBool().default(true),
        ALGORITHMS: envList().default(['RS256', 'ES256']),
        RATIO: z.coerce.number().min(0).max(1).default(0.5),
        NAME: z.string().default('reports'),
      }),
    );
    expect(Object.fromEntries(sut.map((setting) => [setting.name, setting.default]))).toEqual({
      WEEK: '7d',
      HALF_MINUTE: '30s',
      ODD: '1500ms',
      NEVER: '0',
      PORT: '3000',
      ENABLED: 'true',
      ALGORITHMS: 'RS256,ES256',
      RATIO: '0.5',
      NAME: 'reports',
    });
  });

  it('refuses a default no environment value parses to, rather than document a wrong one', () => {
    const schema = z.object({
      ODD: z
        .string()
        .transform((text) => text.length)
        .default(-1),
    });
    expect(() => describeEnv(schema)).toThrow('ODD: no environment value parses to its default');
  });

  it('tells required, optional and defaulted variables apart', () => {
    const sut = describeEnv(
      z.object({
        BROKERS: envList(),
        CLIENT_ID: z.string().min(1).optional(),
        LEVEL: z.enum(['info', 'debug']).default('info'),
      }),
    );
    expect(sut.map(({ name, required, default: value }) => ({ name, required, value }))).toEqual([
      { name: 'BROKERS', required: true, value: undefined },
      { name: 'CLIENT_ID', required: false, value: undefined },
      { name: 'LEVEL', required: false, value: 'info' },
    ]);
  });

  it.each([
    [
      'an env helper: its predicate message',
      envInt({ min: 1, max: 65535 }),
      'must be an integer between 1 and 65535',
    ],
    ['a custom message', z.string().regex(/^[a-z]+$/, { error: 'must be lower case' }), 'must be lower case'],
    [
      'a list refined item by item: both messages',
      envList().refine((list) => list.every((item) => item === 'RS256'), { error: 'must list only RS256' }),
      'must be a comma-separated list; must list only RS256',
    ],
    ['a bounded number', z.coerce.number().min(0).max(1), 'must be a number between 0 and 1'],
    ['an open interval', z.coerce.number().gt(0).lt(1), 'must be a number above 0 and below 1'],
    ['an enum without a message', z.enum(['dev', 'jwks']), 'must be one of dev, jwks'],
    ['a non-empty string', z.string().min(1), 'must not be empty'],
    ['a pattern without a message', z.string().regex(/^[a-z]+$/), 'must match `/^[a-z]+$/`'],
    ['any text', z.string(), ''],
  ])('states the rule of %s', (_case, field, rule) => {
    expect(describeEnv(z.object({ VARIABLE: field }))[0].rule).toBe(rule);
  });

  it('adds the refinements of the whole schema to the variable they name', () => {
    const schema = z
      .object({ MODE: z.enum(['dev', 'jwks'], { error: 'must be dev or jwks' }), URL: z.string().optional() })
      .refine((env) => env.MODE !== 'jwks' || env.URL !== undefined, {
        path: ['URL'],
        error: 'is required when MODE=jwks',
      });
    expect(describeEnv(schema).map((setting) => setting.rule)).toEqual([
      'must be dev or jwks',
      'is required when MODE=jwks',
    ]);
  });
});

describe(settingsTable.name, () => {
  it('is a Markdown table of variable, default, rule and meaning', () => {
    const sut = settingsTable(
      describeEnv(
        z.object({
          DATABASE_URL: z.string().min(1),
          CLIENT_ID: z.string().optional(),
          PORT: envInt({ min: 1, max: 65535 }).default(3001),
        }),
      ),
      { PORT: 'HTTP port\n  of the API' },
    );
    expect(sut.split('\n')).toEqual([
      '| variable | default | rule | meaning |',
      '| --- | --- | --- | --- |',
      '| `DATABASE_URL` | — (required) | must not be empty |  |',
      '| `CLIENT_ID` | unset |  |  |',
      '| `PORT` | `3001` | must be an integer between 1 and 65535 | HTTP port of the API |',
    ]);
  });

  it('escapes pipes and keeps a long default out of the table', () => {
    const rules = Array.from({ length: 10 }, (_, index) => `rule-${index}`);
    const sut = settingsTable(describeEnv(z.object({ RULES: envList().default(rules) })), {
      RULES: 'a | b',
    });
    expect(sut.split('\n')[2]).toBe(
      '| `RULES` | built in (see `config.ts`) | must be a comma-separated list | a \\| b |',
    );
  });
});
