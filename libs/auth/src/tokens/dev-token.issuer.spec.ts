import { ConfigError } from '@ioc/observability';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { InvalidTokenError } from '../auth.errors';
import { DEV_AUDIENCE, DEV_ISSUER, DevTokenIssuer } from './dev-token.issuer';

describe(DevTokenIssuer.name, () => {
  let keysDir: string;

  beforeEach(async () => {
    keysDir = path.join(await mkdtemp(path.join(tmpdir(), 'ioc-dev-keys-')), 'nested', 'keys');
  });

  afterEach(async () => {
    await rm(path.dirname(path.dirname(keysDir)), { recursive: true, force: true });
  });

  const open = (nodeEnv = 'development') => DevTokenIssuer.open({ keysDir, nodeEnv });

  it('mints tokens its verifier accepts', async () => {
    const sut = await open();

    const token = await sut.mint({
      subject: 'dev-agency',
      roles: ['agency'],
      agencyId: 'AG-123',
      scopes: ['wall:read'],
    });

    await expect(sut.verifier().verify(token)).resolves.toEqual({
      subject: 'dev-agency',
      roles: ['agency'],
      agencyId: 'AG-123',
      scopes: ['wall:read'],
      kind: 'user',
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: sut.publicJwk.kid, typ: 'JWT' });
    expect(decodeJwt(token)).toMatchObject({ iss: DEV_ISSUER, aud: DEV_AUDIENCE, sub: 'dev-agency' });
  });

  it('generates its key pair on first use, private to the owner, and reuses it afterwards', async () => {
    const first = await open();
    const keyFile = path.join(keysDir, 'dev-issuer.es256.jwk.json');
    const stored = await readFile(keyFile, 'utf8');

    const second = await open();
    const token = await first.mint({ subject: 'u', roles: ['operator'] });

    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(second.publicJwk).toEqual(first.publicJwk);
    expect(second.publicJwk).not.toHaveProperty('d');
    expect(await readFile(keyFile, 'utf8')).toBe(stored);
    await expect(second.verifier().verify(token)).resolves.toMatchObject({ subject: 'u' });
  });

  it('ends up with one key when several services start at once', async () => {
    const issuers = await Promise.all(Array.from({ length: 5 }, () => open()));

    expect(new Set(issuers.map((issuer) => issuer.publicJwk.kid)).size).toBe(1);
  });

  it('does not trust tokens of another dev key', async () => {
    const other = await DevTokenIssuer.open({ keysDir: `${keysDir}-other`, nodeEnv: 'test' });
    const sut = await open();

    await expect(
      sut.verifier().verify(await other.mint({ subject: 'u', roles: ['operator'] })),
    ).rejects.toBeInstanceOf(InvalidTokenError);
    await rm(`${keysDir}-other`, { recursive: true, force: true });
  });

  it('honours the lifetime it is given', async () => {
    const sut = await open();

    const { iat, exp } = decodeJwt(await sut.mint({ subject: 'u', roles: ['citizen'], ttlSeconds: 900 }));

    expect(exp! - iat!).toBe(900);
  });

  it('refuses to run in production', async () => {
    await expect(open('production')).rejects.toEqual(
      new ConfigError(['AUTH_MODE=dev is refused when NODE_ENV=production'], ['AUTH_MODE', 'NODE_ENV']),
    );
  });

  it('refuses a key file that is not a P-256 private key', async () => {
    await open();
    await writeFile(path.join(keysDir, 'dev-issuer.es256.jwk.json'), JSON.stringify({ kty: 'oct', k: 'x' }));

    await expect(open()).rejects.toThrow(/is not a P-256 private JWK; delete it to get a new key/);
  });
});
