import { InvalidTokenError, MissingCredentialsError } from '../auth.errors';

/**
 * Longest token accepted, checked before any parsing or crypto. Real access tokens are 1–2 KB;
 * Node caps all headers at 16 KB by default, so this only keeps work per request small.
 */
export const MAX_TOKEN_LENGTH = 8_192;

// RFC 6750 §2.1 b64token, which covers the three base64url parts of a compact JWS.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The token of an `Authorization: Bearer …` header value.
 * @throws MissingCredentialsError when there is no header, InvalidTokenError when it is not a usable bearer token
 */
export function bearerTokenFrom(header: string | readonly string[] | undefined): string {
  if (header === undefined || header === '') throw new MissingCredentialsError('Bearer token required');
  if (typeof header !== 'string') throw new InvalidTokenError('Expected a single Authorization header');
  if (header.length > MAX_TOKEN_LENGTH + 'Bearer '.length) throw new InvalidTokenError('Token too large');
  const match = BEARER.exec(header);
  if (!match) throw new InvalidTokenError('Expected an Authorization header of the form "Bearer <token>"');
  return match[1];
}
