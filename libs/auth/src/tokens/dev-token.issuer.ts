import { ConfigError } from '@ioc/observability';
import { createLocalJWKSet, importJWK, type JWK, type KeyLike, SignJWT } from 'jose';
import type { Role } from '../principal';
import { DEV_ALGORITHM, loadOrCreateDevKey } from './dev-key.store';
import { JwtTokenVerifier } from './jwt-token.verifier';
import type { TokenVerifier } from './token-verifier';

/** Issuer and audience the dev issuer uses unless AUTH_ISSUER / AUTH_AUDIENCE say otherwise. */
export const DEV_ISSUER = 'ioc-dev';
export const DEV_AUDIENCE = 'ioc';

/** Options of {@link DevTokenIssuer.open}. */
export interface DevTokenIssuerOptions {
  keysDir: string;
  /** The process's NODE_ENV: `production` is refused. */
  nodeEnv: string;
  issuer?: string;
  audience?: string;
  clockToleranceSeconds?: number;
  rolesClaim?: string;
}

/** What a dev token asserts. */
export interface DevTokenClaims {
  subject: string;
  roles: readonly Role[];
  agencyId?: string;
  integratorId?: string;
  scopes?: readonly string[];
  /** Lifetime in seconds; default one hour. */
  ttlSeconds?: number;
}

/**
 * A local identity provider for development and tests: an ES256 key pair kept in `keysDir`, a
 * minter, and a verifier for what it mints. It exists so that nobody needs Keycloak to run the
 * IOC on a laptop; it refuses to start when NODE_ENV=production.
 */
export class DevTokenIssuer {
  private constructor(
    private readonly privateKey: KeyLike | Uint8Array,
    /** The public half, as served by a JWKS endpoint. */
    readonly publicJwk: JWK,
    readonly issuer: string,
    readonly audience: string,
    private readonly clockToleranceSeconds: number,
    private readonly rolesClaim: string,
  ) {}

  /**
   * Loads the key pair from `keysDir`, generating it on first use.
   * @throws ConfigError when NODE_ENV is production
   */
  static async open(options: DevTokenIssuerOptions): Promise<DevTokenIssuer> {
    if (options.nodeEnv === 'production') {
      throw new ConfigError(['AUTH_MODE=dev is refused when NODE_ENV=production'], ['AUTH_MODE', 'NODE_ENV']);
    }
    const privateJwk = await loadOrCreateDevKey(options.keysDir);
    const { d: _secret, ...publicJwk } = privateJwk;
    const privateKey = await importJWK(privateJwk, DEV_ALGORITHM);
    return new DevTokenIssuer(
      privateKey,
      publicJwk,
      options.issuer ?? DEV_ISSUER,
      options.audience ?? DEV_AUDIENCE,
      options.clockToleranceSeconds ?? 0,
      options.rolesClaim ?? 'roles',
    );
  }

  /** Signs an access token with the claims production tokens carry (`sub`, `roles`, `agency_id` …). */
  async mint(claims: DevTokenClaims): Promise<string> {
    const payload: Record<string, unknown> = { roles: [...claims.roles] };
    if (claims.agencyId !== undefined) payload.agency_id = claims.agencyId;
    if (claims.integratorId !== undefined) payload.integrator_id = claims.integratorId;
    if (claims.scopes !== undefined) payload.scope = claims.scopes.join(' ');
    return new SignJWT(payload)
      .setProtectedHeader({ alg: DEV_ALGORITHM, kid: this.publicJwk.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(claims.subject)
      .setIssuedAt()
      .setExpirationTime(`${claims.ttlSeconds ?? 3600}s`)
      .sign(this.privateKey);
  }

  /** A verifier that trusts this issuer's key only, with the same checks as production. */
  verifier(): TokenVerifier {
    return new JwtTokenVerifier(createLocalJWKSet({ keys: [this.publicJwk] }), {
      issuer: this.issuer,
      audience: this.audience,
      algorithms: [DEV_ALGORITHM],
      clockToleranceSeconds: this.clockToleranceSeconds,
      rolesClaim: this.rolesClaim,
    });
  }
}
