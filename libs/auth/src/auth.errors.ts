import {
  ForbiddenError,
  type IocErrorOptions,
  ServiceUnavailableError,
  UnauthorizedError,
} from '@ioc/observability';

/** No credentials came with the request. */
export class MissingCredentialsError extends UnauthorizedError {
  constructor(message = 'Authentication required') {
    super(message, { code: 'AUTH.MISSING_CREDENTIALS' });
  }
}

/** The bearer token is malformed, badly signed, untrusted or carries unusable claims. */
export class InvalidTokenError extends UnauthorizedError {
  constructor(message = 'Invalid token', options: IocErrorOptions = {}) {
    super(message, { ...options, code: 'AUTH.INVALID_TOKEN' });
  }
}

/** The bearer token has expired (or is not valid yet); the client should get a new one. */
export class TokenExpiredError extends UnauthorizedError {
  constructor() {
    super('Token expired', { code: 'AUTH.TOKEN_EXPIRED' });
  }
}

/** The API key is malformed, unknown, revoked or its secret does not match; which one is not said. */
export class InvalidApiKeyError extends UnauthorizedError {
  constructor() {
    super('Invalid API key', { code: 'AUTH.INVALID_API_KEY' });
  }
}

/** The principal has none of the roles the route requires. */
export class RoleRequiredError extends ForbiddenError {
  constructor(required: readonly string[]) {
    super(`Requires role ${required.join(' or ')}`, { code: 'AUTH.ROLE_REQUIRED', details: { required } });
  }
}

/** The identity provider's key set could not be fetched: our fault, not the caller's. */
export class IdentityProviderUnavailableError extends ServiceUnavailableError {
  constructor(cause: unknown) {
    super('Identity provider unavailable', { code: 'AUTH.IDP_UNAVAILABLE', cause });
  }
}
