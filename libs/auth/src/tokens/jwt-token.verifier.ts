import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { IdentityProviderUnavailableError, InvalidTokenError, TokenExpiredError } from '../auth.errors';
import type { Principal } from '../principal';
import { MAX_TOKEN_LENGTH } from './bearer';
import { principalFromClaims } from './claims';
import { TokenVerifier } from './token-verifier';

/** What a token must satisfy besides its signature. */
export interface JwtVerificationOptions {
  issuer: string;
  audience: string | readonly string[];
  algorithms: readonly string[];
  clockToleranceSeconds: number;
  /** Dotted path of the roles claim, e.g. `roles` or `realm_access.roles`. */
  rolesClaim: string;
}

/**
 * Verifies compact JWS access tokens with `jose` against a key set: the identity provider's remote
 * JWKS in production, the dev issuer's public key locally. Issuer, audience, algorithm allow-list,
 * `exp` (required) and `nbf` are checked with the configured clock tolerance.
 */
export class JwtTokenVerifier extends TokenVerifier {
  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly options: JwtVerificationOptions,
  ) {
    super();
  }

  async verify(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('Token too large');
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience:
          typeof this.options.audience === 'string' ? this.options.audience : [...this.options.audience],
        algorithms: [...this.options.algorithms],
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      });
      return principalFromClaims(payload, this.options.rolesClaim);
    } catch (error) {
      throw translate(error);
    }
  }
}

/** jose's errors, sorted into "the caller's token is bad" (401) and "we cannot check it now" (503). */
function translate(error: unknown): Error {
  if (error instanceof InvalidTokenError) return error;
  if (error instanceof errors.JWTExpired) return new TokenExpiredError();
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new InvalidTokenError(`Token rejected: "${error.claim}" claim ${error.reason.replace(/_/g, ' ')}`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new InvalidTokenError('Token algorithm not allowed');
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new InvalidTokenError('Token signature is invalid');
  if (error instanceof errors.JWKSNoMatchingKey)
    return new InvalidTokenError('Token was not signed by a trusted key');
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new InvalidTokenError('Token is malformed');
  }
  // JWKSTimeout, JWKSInvalid, a non-200 answer or a network error: the key set is out of reach.
  return new IdentityProviderUnavailableError(error);
}
