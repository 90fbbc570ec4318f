import type { Principal } from '../principal';

/**
 * Port: turns a bearer token into a {@link Principal}. Production verifies against the identity
 * provider's JWKS; development against the local dev issuer. Abstract class so it doubles as the
 * DI token.
 */
export abstract class TokenVerifier {
  /**
   * @throws InvalidTokenError, TokenExpiredError (401) or IdentityProviderUnavailableError (503)
   */
  abstract verify(token: string): Promise<Principal>;
}
