import { ConfigError } from '@ioc/observability';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DevTokenIssuer } from '../tokens/dev-token.issuer';
import { claimsFromArgs, mintDevToken, UsageError } from './token-command';

describe(claimsFromArgs.name, () => {
  it('reads an agency token request', () => {
    expect(claimsFromArgs(['--role', 'agency', '--agency', 'AG-123', '--ttl', '15m'])).toEqual({
      subject: 'dev-agency',
      roles: ['agency'],
      agencyId: 'AG-123',
      ttlSeconds: 900,
    });
  });

  it('reads several roles, a subject, scopes and an integrator', () => {
    expect(
      claimsFromArgs([
        '--role',
        'integrator',
        '--role',
        'operator',
        '--sub',
        'svc',
        '--integrator',
        'hotline',
        '--scope',
        'a',
        '--scope',
        'b',
      ]),
    ).toEqual({
      subject: 'svc',
      roles: ['integrator', 'operator'],
      integratorId: 'hotline',
      scopes: ['a', 'b'],
      ttlSeconds: 3600,
    });
  });

  it.each([
    [[], 'at least one --role is required'],
    [['--role', 'admin'], 'unknown role admin; expected operator, agency, integrator, citizen'],
    [['--role', 'agency'], '--role agency needs --agency <id>'],
    [
      ['--role', 'operator', '--ttl', 'forever'],
      '--ttl must be a duration between 1s and 30d, such as 15m or 1h',
    ],
    [
      ['--role', 'operator', '--ttl', '90d'],
      '--ttl must be a duration between 1s and 30d, such as 15m or 1h',
    ],
    [['--role', 'operator', '--colour', 'red'], expect.stringContaining("Unknown option '--colour'")],
    [['operator'], expect.stringContaining('Unexpected argument')],
  ])('refuses %j', (args, message) => {
    expect(() => claimsFromArgs(args)).toThrow(UsageError);
    expect(() => claimsFromArgs(args)).toThrow(expect.objectContaining({ message }));
  });
});

describe(mintDevToken.name, () => {
  let keysDir: string;

  beforeEach(async () => {
    keysDir = await mkdtemp(path.join(tmpdir(), 'ioc-token-cli-'));
  });

  afterEach(async () => {
    await rm(keysDir, { recursive: true, force: true });
  });

  it('mints a token the services’ dev issuer accepts', async () => {
    const token = await mintDevToken(['--role', 'agency', '--agency', 'AG-9'], {
      AUTH_DEV_KEYS_DIR: keysDir,
    });
    const issuer = await DevTokenIssuer.open({ keysDir, nodeEnv: 'development' });

    await expect(issuer.verifier().verify(token)).resolves.toMatchObject({
      roles: ['agency'],
      agencyId: 'AG-9',
    });
  });

  it('refuses production and jwks mode', async () => {
    await expect(
      mintDevToken(['--role', 'operator'], { AUTH_DEV_KEYS_DIR: keysDir, NODE_ENV: 'production' }),
    ).rejects.toBeInstanceOf(ConfigError);
    await expect(
      mintDevToken(['--role', 'operator'], {
        AUTH_MODE: 'jwks',
        AUTH_JWKS_URL: 'https://idp/jwks',
        AUTH_ISSUER: 'https://idp',
        AUTH_AUDIENCE: 'ioc',
      }),
    ).rejects.toEqual(new UsageError('AUTH_MODE is jwks: dev tokens would not be accepted'));
  });
});
