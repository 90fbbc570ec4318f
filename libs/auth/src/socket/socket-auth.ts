import { toErrorResponse } from '@ioc/observability';
import type { IncomingHttpHeaders } from 'node:http';
import { InvalidTokenError } from '../auth.errors';
import { assertRoles } from '../guards/roles';
import type { Principal, Role } from '../principal';
import { bearerTokenFrom, MAX_TOKEN_LENGTH } from '../tokens/bearer';
import type { TokenVerifier } from '../tokens/token-verifier';

/** The parts of a Socket.IO handshake that carry credentials. */
export interface SocketHandshake {
  auth?: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

/** A Socket.IO socket as far as authentication needs it. */
export interface AuthenticatableSocket {
  handshake: SocketHandshake;
  data: { principal?: Principal };
}

/** The error a rejected handshake reaches the client with: `connect_error`, `err.data.code`. */
export type ConnectError = Error & { data: { code: string; statusCode: number } };

/**
 * Authenticates a Socket.IO handshake: the token from `handshake.auth.token` (what browsers can
 * send, `io(url, { auth: { token } })`), else the `Authorization: Bearer` header (other clients).
 * @throws MissingCredentialsError, InvalidTokenError, TokenExpiredError, IdentityProviderUnavailableError
 */
export async function authenticateSocket(
  verifier: TokenVerifier,
  socketOrHandshake: { handshake: SocketHandshake } | SocketHandshake,
): Promise<Principal> {
  const handshake = 'handshake' in socketOrHandshake ? socketOrHandshake.handshake : socketOrHandshake;
  const token = handshake.auth?.token;
  if (token === undefined) return verifier.verify(bearerTokenFrom(handshake.headers.authorization));
  if (typeof token !== 'string' || token.length === 0)
    throw new InvalidTokenError('auth.token must be a string');
  if (token.length > MAX_TOKEN_LENGTH + 'Bearer '.length) throw new InvalidTokenError('Token too large');
  return verifier.verify(/^Bearer /i.test(token) ? bearerTokenFrom(token) : token);
}

/**
 * Socket.IO middleware for `server.use(...)` (e.g. in a gateway's `afterInit`): authenticates the
 * handshake, checks `roles` if given, and stores the principal in `socket.data.principal`. A
 * rejection reaches the client as `connect_error` with a machine-readable `err.data.code`
 * (`AUTH.MISSING_CREDENTIALS`, `AUTH.TOKEN_EXPIRED`, `AUTH.ROLE_REQUIRED` …).
 */
export function socketAuthMiddleware(
  verifier: TokenVerifier,
  options: { roles?: readonly Role[] } = {},
): (socket: AuthenticatableSocket, next: (error?: ConnectError) => void) => void {
  return (socket, next) => {
    authenticateSocket(verifier, socket).then(
      (principal) => {
        try {
          assertRoles(principal, options.roles);
        } catch (error) {
          next(toConnectError(error));
          return;
        }
        socket.data.principal = principal;
        next();
      },
      (error: unknown) => next(toConnectError(error)),
    );
  };
}

function toConnectError(error: unknown): ConnectError {
  const { code, message, statusCode } = toErrorResponse(error);
  return Object.assign(new Error(message), { data: { code, statusCode } });
}
