/** Roles the IOC knows (docs/architecture.md, "Who uses it"). */
export const ROLES = ['operator', 'agency', 'integrator', 'citizen'] as const;

/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** True when `value` names a known role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Who is calling. `agencyId` is set for the `agency` role (its reports and incidents only);
 * `integratorId` for integrators, whether they came with a token or an API key.
 */
export interface Principal {
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly kind: 'user' | 'api-key';
  readonly agencyId?: string;
  readonly integratorId?: string;
  /** OAuth scopes of a token, or the scopes an API key was created with. */
  readonly scopes?: readonly string[];
  /** The API key used, for audit; never its secret. */
  readonly apiKeyId?: string;
}
