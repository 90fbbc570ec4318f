/** Metadata key of `@Roles(...)`. */
export const ROLES_KEY = 'ioc:roles';
/** Metadata key of `@ApiKeyAuth(...)`. */
export const API_KEY_AUTH_KEY = 'ioc:api-key-auth';

/** Where ApiKeyGuard may look for a key besides the `X-API-Key` header. */
export interface ApiKeyAuthOptions {
  /** Accept `?api_key=` (Open311 GeoReport v2 clients send it so). */
  query?: boolean;
  /** Accept an `api_key` field of a JSON or form body (Open311 POST). */
  body?: boolean;
}
