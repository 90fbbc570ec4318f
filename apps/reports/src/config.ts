import { authEnv } from '@ioc/auth';
import { commonEnv, configToken, envInt } from '@ioc/observability';
import { z } from 'zod';

/** The reports service's environment, parsed once in main.ts (CONVENTIONS: Config). */
export const reportsEnv = authEnv.safeExtend(commonEnv.shape).safeExtend({
  PORT: envInt({ min: 1, max: 65535 }).default(3001),
  /** One Postgres schema per service (DESIGN); tests give each run its own. */
  DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a lower-case Postgres identifier' })
    .default('reports'),
});

export class ReportsConfig extends configToken(reportsEnv) {}
