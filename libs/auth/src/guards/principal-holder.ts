import { MissingCredentialsError } from '../auth.errors';
import type { Principal } from '../principal';

/** An HTTP request once a guard has authenticated it. */
export interface AuthenticatedRequest {
  principal?: Principal;
}

/** A Socket.IO socket once the handshake middleware has authenticated it. */
export interface AuthenticatedSocket {
  data: { principal?: Principal };
}

/**
 * The principal an auth guard put on `req`.
 * @throws MissingCredentialsError when no guard authenticated the request (e.g. a `@Public()` route)
 */
export function principalOf(req: AuthenticatedRequest): Principal {
  if (!req.principal) throw new MissingCredentialsError();
  return req.principal;
}

/**
 * The principal the handshake middleware put on `socket.data`.
 * @throws MissingCredentialsError when the socket was not authenticated
 */
export function principalOfSocket(socket: AuthenticatedSocket): Principal {
  if (!socket.data.principal) throw new MissingCredentialsError();
  return socket.data.principal;
}
