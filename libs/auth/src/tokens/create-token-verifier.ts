import { ConfigError } from '@ioc/observability';
import { createRemoteJWKSet } from 'jose';
import type { AuthEnv } from '../auth.env';
import { DevTokenIssuer } from './dev-token.issuer';
import { JwtTokenVerifier } from './jwt-token.verifier';
import type { TokenVerifier } from './token-verifier';

/**
 * The verifier AUTH_MODE asks for: the identity provider's JWKS (fetched lazily, cached, refetched
 * on an unknown `kid` at most every 30 s) or the local dev issuer.
 * @throws ConfigError for AUTH_MODE=dev when NODE_ENV=production
 */
export async function createTokenVerifier(env: AuthEnv, nodeEnv: string): Promise<TokenVerifier> {
  const clockToleranceSeconds = Math.round(env.AUTH_CLOCK_TOLERANCE / 1000);
  if (env.AUTH_MODE === 'dev') {
    const issuer = await DevTokenIssuer.open({
      keysDir: env.AUTH_DEV_KEYS_DIR,
      nodeEnv,
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE?.[0],
      clockToleranceSeconds,
      rolesClaim: env.AUTH_ROLES_CLAIM,
    });
    return issuer.verifier();
  }
  // authEnv's rules guarantee these in jwks mode; checked again for configs built by hand.
  const { AUTH_JWKS_URL: url, AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience } = env;
  if (url === undefined || issuer === undefined || audience === undefined) {
    const missing = Object.entries({ AUTH_JWKS_URL: url, AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience })
      .filter(([, value]) => value === undefined)
      .map(([variable]) => variable);
    throw new ConfigError(
      missing.map((variable) => `${variable} is required when AUTH_MODE=jwks`),
      missing,
    );
  }
  const keys = createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  return new JwtTokenVerifier(keys, {
    issuer,
    audience,
    algorithms: env.AUTH_ALGORITHMS,
    clockToleranceSeconds,
    rolesClaim: env.AUTH_ROLES_CLAIM,
  });
}
