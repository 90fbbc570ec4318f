import {
  createLocalJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  type KeyLike,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { IdentityProviderUnavailableError, InvalidTokenError, TokenExpiredError } from '../auth.errors';
import { JwtTokenVerifier, type JwtVerificationOptions } from './jwt-token.verifier';

const ISSUER = 'https://sso.example.gov.vn/realms/ioc';
const AUDIENCE = 'ioc-api';
const now = () => Math.floor(Date.now() / 1000);

interface SigningKey {
  privateKey: KeyLike;
  jwk: JWK;
}

async function signingKey(alg: 'ES256' | 'RS256', kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

describe(JwtTokenVerifier.name, () => {
  let trusted: SigningKey;
  let rsa: SigningKey;
  let stranger: SigningKey;
  let sut: JwtTokenVerifier;
  const options: JwtVerificationOptions = {
    issuer: ISSUER,
    audience: [AUDIENCE, 'ioc-wall'],
    algorithms: ['ES256'],
    clockToleranceSeconds: 30,
    rolesClaim: 'roles',
  };

  beforeAll(async () => {
    trusted = await signingKey('ES256', 'trusted');
    rsa = await signingKey('RS256', 'rsa');
    stranger = await signingKey('ES256', 'stranger');
    sut = new JwtTokenVerifier(createLocalJWKSet({ keys: [trusted.jwk, rsa.jwk] }), options);
  });

  function token(
    claims: JWTPayload = {},
    {
      key = trusted,
      alg = 'ES256',
      kid = key.jwk.kid,
    }: { key?: SigningKey; alg?: string; kid?: string } = {},
  ): Promise<string> {
    const defaults = {
      roles: ['operator'],
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'user-1',
      iat: now(),
      exp: now() + 300,
    };
    return new SignJWT({ ...defaults, ...claims }).setProtectedHeader({ alg, kid }).sign(key.privateKey);
  }

  function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
    return promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (error: unknown) => error,
    );
  }

  it('turns a valid token into a principal', async () => {
    await expect(sut.verify(await token({ roles: ['agency'], agency_id: 'AG-123' }))).resolves.toEqual({
      subject: 'user-1',
      roles: ['agency'],
      agencyId: 'AG-123',
      kind: 'user',
    });
  });

  it('accepts any configured audience', async () => {
    await expect(sut.verify(await token({ aud: 'ioc-wall' }))).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('rejects an expired token as expired', async () => {
    const error = await rejectionOf(sut.verify(await token({ exp: now() - 120 })));

    expect(error).toBeInstanceOf(TokenExpiredError);
    expect(error).toMatchObject({ code: 'AUTH.TOKEN_EXPIRED', kind: 'unauthorized' });
  });

  it('tolerates clock skew within the configured tolerance', async () => {
    await expect(sut.verify(await token({ exp: now() - 10 }))).resolves.toMatchObject({ subject: 'user-1' });
  });

  it.each([
    ['a wrong issuer', { iss: 'https://evil.example.org' }, 'Token rejected: "iss" claim check failed'],
    ['a wrong audience', { aud: 'another-app' }, 'Token rejected: "aud" claim check failed'],
    ['a future nbf', { nbf: now() + 600 }, 'Token rejected: "nbf" claim check failed'],
  ])('rejects %s', async (_, claims, message) => {
    const error = await rejectionOf(sut.verify(await token(claims)));

    expect(error).toEqual(new InvalidTokenError(message));
    expect(error).toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
  });

  it('rejects a token without exp', async () => {
    const unexpiring = await new SignJWT({ roles: ['operator'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'trusted' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('user-1')
      .sign(trusted.privateKey);

    await expect(sut.verify(unexpiring)).rejects.toEqual(
      new InvalidTokenError('Token rejected: "exp" claim missing'),
    );
  });

  it('rejects an algorithm outside the allow-list even with a trusted key', async () => {
    await expect(sut.verify(await token({}, { key: rsa, alg: 'RS256' }))).rejects.toEqual(
      new InvalidTokenError('Token algorithm not allowed'),
    );
  });

  it('rejects an HS256 token (algorithm confusion)', async () => {
    const hs = await new SignJWT({ roles: ['operator'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'trusted' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('user-1')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JSON.stringify(trusted.jwk)));

    await expect(sut.verify(hs)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('rejects an unsecured alg=none token', async () => {
    const none = new UnsecuredJWT({ roles: ['operator'] })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('user-1')
      .setExpirationTime('5m')
      .encode();

    await expect(sut.verify(none)).rejects.toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
  });

  it('rejects a tampered signature', async () => {
    const [header, payload, signature] = (await token()).split('.');
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;

    await expect(sut.verify(`${header}.${payload}.${flipped}`)).rejects.toEqual(
      new InvalidTokenError('Token signature is invalid'),
    );
  });

  it('rejects a payload altered after signing', async () => {
    const [header, , signature] = (await token({ roles: ['citizen'] })).split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'user-1', roles: ['operator'], iss: ISSUER, aud: AUDIENCE, exp: now() + 300 }),
    ).toString('base64url');

    await expect(sut.verify(`${header}.${forged}.${signature}`)).rejects.toEqual(
      new InvalidTokenError('Token signature is invalid'),
    );
  });

  it('rejects a token signed by a key it does not trust', async () => {
    await expect(sut.verify(await token({}, { key: stranger }))).rejects.toEqual(
      new InvalidTokenError('Token was not signed by a trusted key'),
    );
  });

  it('rejects an agency token without agency_id', async () => {
    await expect(sut.verify(await token({ roles: ['agency'] }))).rejects.toEqual(
      new InvalidTokenError('The agency role requires an "agency_id" claim'),
    );
  });

  it.each(['garbage', 'a.b.c', '..', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0', '{"alg":"none"}'])(
    'rejects the malformed token %j',
    async (garbage) => {
      await expect(sut.verify(garbage)).rejects.toEqual(new InvalidTokenError('Token is malformed'));
    },
  );

  it('rejects an oversized token without verifying it', async () => {
    await expect(sut.verify('a'.repeat(9_000))).rejects.toEqual(new InvalidTokenError('Token too large'));
  });

  it('answers "unavailable", not "unauthorized", when the key set cannot be fetched', async () => {
    const unreachable = new JwtTokenVerifier(async () => {
      throw new errors.JWKSTimeout();
    }, options);

    const error = await rejectionOf(unreachable.verify(await token()));

    expect(error).toBeInstanceOf(IdentityProviderUnavailableError);
    expect(error).toMatchObject({ code: 'AUTH.IDP_UNAVAILABLE', kind: 'unavailable' });
  });
});
