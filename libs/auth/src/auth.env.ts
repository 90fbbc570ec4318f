import { envDuration, envList, envUrl } from '@ioc/observability';
import { z } from 'zod';

/**
 * Asymmetric algorithms a production token may use. Never HS* (a shared secret in every service)
 * nor `none`; one allow-list also rules out algorithm-confusion attacks.
 */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

const algorithms = envList().refine(
  (list) => list.every((alg) => (JWT_ALGORITHMS as readonly string[]).includes(alg)),
  { error: `must list only ${JWT_ALGORITHMS.join(', ')}` },
);

// `when` runs the rule even when other variables are bad, so loadConfig reports all problems at once.
const requiredForJwks = (variable: string) => ({
  path: [variable],
  error: 'is required when AUTH_MODE=jwks',
  when: () => true,
});

/**
 * Authentication variables; extend an app's schema with it (`commonEnv.extend(authEnv.shape)` loses
 * the cross-field rules, so use `authEnv.extend(commonEnv.shape)` or `z.intersection`).
 *
 * - AUTH_MODE: `dev` (default; local issuer, refused when NODE_ENV=production) or `jwks`.
 * - AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE (comma list): required for `jwks`; the dev issuer
 *   defaults them to `ioc-dev` / `ioc`.
 * - AUTH_ALGORITHMS: allowed JWS algorithms for `jwks` (default RS256,ES256).
 * - AUTH_CLOCK_TOLERANCE: skew allowed on exp/nbf/iat (default 30s, at most 5m).
 * - AUTH_ROLES_CLAIM: dotted path of the roles claim (default `roles`; Keycloak: `realm_access.roles`).
 * - AUTH_DEV_KEYS_DIR: where the dev issuer keeps its key pair (default `.run/keys`).
 */
export const authEnv = z
  .object({
    /** `dev`: the local development issuer (refused in production); `jwks`: the identity provider's keys. */
    AUTH_MODE: z.enum(['dev', 'jwks'], { error: 'must be dev or jwks' }).default('dev'),
    /** Where the identity provider publishes its signing keys. */
    AUTH_JWKS_URL: envUrl(['https:', 'http:']).optional(),
    /** The `iss` every token must carry. */
    AUTH_ISSUER: z.string().min(1).optional(),
    /** Accepted `aud` values. */
    AUTH_AUDIENCE: envList().optional(),
    /** JWS algorithms accepted (asymmetric only). */
    AUTH_ALGORITHMS: algorithms.default(['RS256', 'ES256']),
    /** Clock skew allowed on `exp` and `nbf`. */
    AUTH_CLOCK_TOLERANCE: envDuration({ max: 300_000 }).default(30_000),
    /** Dotted path of the roles claim (`realm_access.roles` for Keycloak). */
    AUTH_ROLES_CLAIM: z
      .string()
      .regex(/^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*$/, {
        error: 'must be a dotted claim path such as realm_access.roles',
      })
      .default('roles'),
    /** Where the development issuer keeps its key pair (`npm run token` reads it too). */
    AUTH_DEV_KEYS_DIR: z.string().min(1).default('.run/keys'),
  })
  .refine(
    (env) => env.AUTH_MODE !== 'jwks' || env.AUTH_JWKS_URL !== undefined,
    requiredForJwks('AUTH_JWKS_URL'),
  )
  .refine((env) => env.AUTH_MODE !== 'jwks' || env.AUTH_ISSUER !== undefined, requiredForJwks('AUTH_ISSUER'))
  .refine(
    (env) => env.AUTH_MODE !== 'jwks' || env.AUTH_AUDIENCE !== undefined,
    requiredForJwks('AUTH_AUDIENCE'),
  );

/** The parsed {@link authEnv}. */
export type AuthEnv = z.infer<typeof authEnv>;
