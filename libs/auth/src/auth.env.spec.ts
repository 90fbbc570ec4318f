import { commonEnv, ConfigError, loadConfig } from '@ioc/observability';
import { authEnv } from './auth.env';

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('authEnv', () => {
  it('defaults to the dev issuer with safe settings', () => {
    expect(loadConfig(authEnv, {})).toEqual({
      AUTH_MODE: 'dev',
      AUTH_ALGORITHMS: ['RS256', 'ES256'],
      AUTH_CLOCK_TOLERANCE: 30_000,
      AUTH_ROLES_CLAIM: 'roles',
      AUTH_DEV_KEYS_DIR: '.run/keys',
    });
  });

  it('parses a JWKS configuration', () => {
    const sut = loadConfig(authEnv, {
      AUTH_MODE: 'jwks',
      AUTH_JWKS_URL: 'https://sso.example.gov.vn/realms/ioc/protocol/openid-connect/certs',
      AUTH_ISSUER: 'https://sso.example.gov.vn/realms/ioc',
      AUTH_AUDIENCE: 'ioc-api, ioc-wall',
      AUTH_ALGORITHMS: 'RS256',
      AUTH_CLOCK_TOLERANCE: '10s',
      AUTH_ROLES_CLAIM: 'realm_access.roles',
    });

    expect(sut).toMatchObject({
      AUTH_AUDIENCE: ['ioc-api', 'ioc-wall'],
      AUTH_ALGORITHMS: ['RS256'],
      AUTH_CLOCK_TOLERANCE: 10_000,
      AUTH_ROLES_CLAIM: 'realm_access.roles',
    });
  });

  it('names every variable jwks mode lacks, together with the app’s own problems', () => {
    const schema = authEnv.extend(commonEnv.shape);

    expect(problemsOf(() => loadConfig(schema, { AUTH_MODE: 'jwks', PORT: 'x' }))).toEqual([
      'PORT must be an integer between 1 and 65535',
      'KAFKA_BROKERS is required',
      'AUTH_JWKS_URL is required when AUTH_MODE=jwks',
      'AUTH_ISSUER is required when AUTH_MODE=jwks',
      'AUTH_AUDIENCE is required when AUTH_MODE=jwks',
    ]);
  });

  it.each([
    ['AUTH_MODE', 'oidc', 'AUTH_MODE must be dev or jwks'],
    [
      'AUTH_ALGORITHMS',
      'RS256,HS256',
      'AUTH_ALGORITHMS must list only RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA',
    ],
    [
      'AUTH_ALGORITHMS',
      'none',
      'AUTH_ALGORITHMS must list only RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA',
    ],
    [
      'AUTH_CLOCK_TOLERANCE',
      '1h',
      'AUTH_CLOCK_TOLERANCE must be a duration such as 500ms, 30s, 5m or 1h of at most 5m',
    ],
    ['AUTH_JWKS_URL', 'ftp://idp/jwks', 'AUTH_JWKS_URL must be a URL (https or http)'],
    [
      'AUTH_ROLES_CLAIM',
      'realm access',
      'AUTH_ROLES_CLAIM must be a dotted claim path such as realm_access.roles',
    ],
  ])('rejects %s=%j', (variable, value, problem) => {
    expect(problemsOf(() => loadConfig(authEnv, { [variable]: value }))).toEqual([problem]);
  });
});
