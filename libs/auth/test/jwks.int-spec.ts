import { loadConfig } from '@ioc/observability';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type KeyLike, SignJWT } from 'jose';
import {
  authEnv,
  createTokenVerifier,
  IdentityProviderUnavailableError,
  InvalidTokenError,
  type TokenVerifier,
} from '@ioc/auth';

// Production mode against a real HTTP JWKS endpoint (a local stand-in for the identity provider):
// keys fetched on demand, a rotated key picked up, an unreachable provider told apart from a bad token.

const ISSUER = 'https://sso.example.gov.vn/realms/ioc';

interface SigningKey {
  privateKey: KeyLike;
  jwk: JWK;
}

async function rsaKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

describe('createTokenVerifier in jwks mode', () => {
  let server: Server;
  let published: JWK[] = [];
  let jwksRequests = 0;
  let first: SigningKey;
  let url: string;
  let sut: TokenVerifier;

  const sign = (key: SigningKey, roles: string[] = ['operator']) =>
    new SignJWT({ roles })
      .setProtectedHeader({ alg: 'RS256', kid: key.jwk.kid })
      .setIssuer(ISSUER)
      .setAudience('ioc-api')
      .setSubject('user-1')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key.privateKey);

  const verifierFor = (jwksUrl: string) =>
    createTokenVerifier(
      loadConfig(authEnv, {
        AUTH_MODE: 'jwks',
        AUTH_JWKS_URL: jwksUrl,
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: 'ioc-api',
        AUTH_ALGORITHMS: 'RS256',
      }),
      'production',
    );

  beforeAll(async () => {
    first = await rsaKey('2025-a');
    published = [first.jwk];
    server = createServer((req, res) => {
      jwksRequests += 1;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/ioc/protocol/openid-connect/certs`;
    sut = await verifierFor(url);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches nothing until the first token, then verifies against the fetched keys', async () => {
    const verifier = await verifierFor(url);
    const before = jwksRequests;

    await expect(verifier.verify(await sign(first))).resolves.toMatchObject({
      subject: 'user-1',
      roles: ['operator'],
    });

    expect(before).toBe(jwksRequests - 1);
  });

  it('caches the key set between tokens', async () => {
    await sut.verify(await sign(first));
    const after = jwksRequests;

    await sut.verify(await sign(first, ['citizen']));

    expect(jwksRequests).toBe(after);
  });

  it('picks up a rotated key on an unknown kid, at most once per 30 s cooldown', async () => {
    const verifier = await verifierFor(url);
    await verifier.verify(await sign(first));
    const rotated = await rsaKey('2025-b');
    published = [first.jwk, rotated.jwk];
    const token = await sign(rotated);

    // Within the cooldown a random kid cannot make us hammer the provider (jose's guard).
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    const later = Date.now() + 31_000;
    jest.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'user-1' });
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('rejects a token of a key the provider does not publish', async () => {
    const stranger = await rsaKey('stranger');

    await expect(sut.verify(await sign(stranger))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('answers "unavailable" when the provider cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/certs`;
    await new Promise((resolve) => closed.close(resolve));
    const verifier = await verifierFor(deadUrl);

    await expect(verifier.verify(await sign(first))).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
    // A malformed token is still the caller's fault: it is rejected before any key is fetched.
    await expect(verifier.verify('a.b.c')).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
