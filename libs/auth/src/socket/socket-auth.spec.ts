import { InvalidTokenError, TokenExpiredError } from '../auth.errors';
import type { Principal } from '../principal';
import { TokenVerifier } from '../tokens/token-verifier';
import {
  type AuthenticatableSocket,
  authenticateSocket,
  type ConnectError,
  socketAuthMiddleware,
} from './socket-auth';

const agency: Principal = { subject: 'ag-1', roles: ['agency'], agencyId: 'AG-1', kind: 'user' };

class FakeTokenVerifier extends TokenVerifier {
  async verify(token: string): Promise<Principal> {
    if (token === 'agency-token') return agency;
    if (token === 'stale-token') throw new TokenExpiredError();
    throw new InvalidTokenError();
  }
}

function socket(handshake: Partial<AuthenticatableSocket['handshake']>): AuthenticatableSocket {
  return { handshake: { headers: {}, auth: {}, ...handshake }, data: {} };
}

function run(
  middleware: ReturnType<typeof socketAuthMiddleware>,
  target: AuthenticatableSocket,
): Promise<ConnectError | undefined> {
  return new Promise((resolve) => middleware(target, resolve));
}

describe(authenticateSocket.name, () => {
  const verifier = new FakeTokenVerifier();

  it('reads handshake.auth.token, with or without the Bearer prefix', async () => {
    await expect(authenticateSocket(verifier, socket({ auth: { token: 'agency-token' } }))).resolves.toBe(
      agency,
    );
    await expect(
      authenticateSocket(verifier, { headers: {}, auth: { token: 'Bearer agency-token' } }),
    ).resolves.toBe(agency);
  });

  it('falls back to the Authorization header', async () => {
    await expect(
      authenticateSocket(verifier, socket({ headers: { authorization: 'Bearer agency-token' } })),
    ).resolves.toBe(agency);
  });

  it.each([
    ['a number', { token: 42 }],
    ['an empty string', { token: '' }],
    ['an oversized string', { token: 'a'.repeat(10_000) }],
  ])('rejects auth.token as %s', async (_, auth) => {
    await expect(authenticateSocket(verifier, socket({ auth }))).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe(socketAuthMiddleware.name, () => {
  const verifier = new FakeTokenVerifier();

  it('stores the principal on socket.data and lets the connection through', async () => {
    const target = socket({ auth: { token: 'agency-token' } });

    await expect(run(socketAuthMiddleware(verifier), target)).resolves.toBeUndefined();
    expect(target.data.principal).toBe(agency);
  });

  it.each([
    ['no credentials', {}, 'AUTH.MISSING_CREDENTIALS', 401],
    ['a bad token', { auth: { token: 'forged' } }, 'AUTH.INVALID_TOKEN', 401],
    ['an expired token', { auth: { token: 'stale-token' } }, 'AUTH.TOKEN_EXPIRED', 401],
    ['a garbage header', { headers: { authorization: 'Bearer' } }, 'AUTH.INVALID_TOKEN', 401],
  ])('rejects %s with a machine-readable connect_error', async (_, handshake, code, statusCode) => {
    const target = socket(handshake);

    const error = await run(socketAuthMiddleware(verifier), target);

    expect(error).toBeInstanceOf(Error);
    expect(error?.data).toEqual({ code, statusCode });
    expect(target.data.principal).toBeUndefined();
  });

  it('rejects a principal without a required role with 403', async () => {
    const error = await run(
      socketAuthMiddleware(verifier, { roles: ['operator'] }),
      socket({ auth: { token: 'agency-token' } }),
    );

    expect(error?.data).toEqual({ code: 'AUTH.ROLE_REQUIRED', statusCode: 403 });
    expect(error?.message).toBe('Requires role operator');
  });
});
