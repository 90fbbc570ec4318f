import { authEnv } from '@ioc/auth';
import { commonEnv, configToken, envInt } from '@ioc/observability';
import { z } from 'zod';

/** The intake service's environment, parsed once in main.ts (CONVENTIONS: Config). */
export const intakeEnv = authEnv.safeExtend(commonEnv.shape).safeExtend({
  PORT: envInt({ min: 1, max: 65535 }).default(3002),
  /** One Postgres schema per service (DESIGN); tests give each run its own. */
  DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a lower-case Postgres identifier' })
    .default('intake'),
});

export class IntakeConfig extends configToken(intakeEnv) {}
