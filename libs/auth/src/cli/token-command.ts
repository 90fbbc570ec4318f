import { loadConfig, nodeEnvVar, parseDuration } from '@ioc/observability';
import { parseArgs } from 'node:util';
import { authEnv } from '../auth.env';
import { isRole, type Role, ROLES } from '../principal';
import { type DevTokenClaims, DevTokenIssuer } from '../tokens/dev-token.issuer';

export const TOKEN_USAGE = `Mints a development access token with the local dev issuer and prints it on stdout.

Usage: npm run token -- --role <role> [--role <role> …] [options]

  --role <role>        ${ROLES.join(' | ')} (repeatable)
  --agency <id>        agency_id claim (required with --role agency)
  --integrator <id>    integrator_id claim (default: the subject, with --role integrator)
  --sub <subject>      sub claim (default: dev-<first role>)
  --scope <scope>      OAuth scope (repeatable)
  --ttl <duration>     lifetime such as 15m, 1h, 7d (default 1h, at most 30d)

Reads AUTH_DEV_KEYS_DIR, AUTH_ISSUER, AUTH_AUDIENCE and NODE_ENV like the services do.`;

const MAX_TTL_MS = 30 * 86_400_000;

/** A command-line mistake: reported with the usage text and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = UsageError.name;
  }
}

/**
 * Reads the token CLI's arguments into the claims to mint.
 * @throws UsageError
 */
export function claimsFromArgs(args: readonly string[]): DevTokenClaims {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        role: { type: 'string', multiple: true },
        agency: { type: 'string' },
        integrator: { type: 'string' },
        sub: { type: 'string' },
        scope: { type: 'string', multiple: true },
        ttl: { type: 'string', default: '1h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const roles = values.role ?? [];
  if (roles.length === 0) throw new UsageError('at least one --role is required');
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0)
    throw new UsageError(`unknown role ${unknown.join(', ')}; expected ${ROLES.join(', ')}`);
  const known = roles as Role[];
  if (known.includes('agency') && !values.agency) throw new UsageError('--role agency needs --agency <id>');
  const ttlMs = parseDuration(values.ttl);
  if (ttlMs === undefined || ttlMs < 1_000 || ttlMs > MAX_TTL_MS) {
    throw new UsageError('--ttl must be a duration between 1s and 30d, such as 15m or 1h');
  }
  return {
    subject: values.sub ?? `dev-${known[0]}`,
    roles: known,
    ...(values.agency === undefined ? {} : { agencyId: values.agency }),
    ...(values.integrator === undefined ? {} : { integratorId: values.integrator }),
    ...(values.scope === undefined ? {} : { scopes: values.scope }),
    ttlSeconds: Math.floor(ttlMs / 1000),
  };
}

/**
 * Mints the token the arguments describe with the dev issuer the environment configures.
 * @throws UsageError, or ConfigError for a bad environment (including NODE_ENV=production)
 */
export async function mintDevToken(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const claims = claimsFromArgs(args);
  const config = loadConfig(authEnv.extend({ NODE_ENV: nodeEnvVar }), env);
  if (config.AUTH_MODE !== 'dev') throw new UsageError('AUTH_MODE is jwks: dev tokens would not be accepted');
  const issuer = await DevTokenIssuer.open({
    keysDir: config.AUTH_DEV_KEYS_DIR,
    nodeEnv: config.NODE_ENV,
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE?.[0],
  });
  return issuer.mint(claims);
}
