import { envInt, envUrl } from '@ioc/observability';
import { z } from 'zod';
import { SCHEMA_NAME } from './schema';

/**
 * The variables of a service that keeps state in Postgres, to extend its config with:
 * `commonEnv.safeExtend(databaseEnv('reports').shape)`. One schema per service (docs/architecture.md,
 * "Services"); tests give each spec file its own.
 */
export function databaseEnv(defaultSchema: string) {
  return z.object({
    /** PostgreSQL connection URL (its password never appears in logs or errors). */
    DATABASE_URL: envUrl(['postgres:', 'postgresql:']),
    /** The service's own Postgres schema. */
    DB_SCHEMA: z
      .string()
      .regex(SCHEMA_NAME, { error: 'must be a lower-case Postgres identifier of at most 63 characters' })
      .default(defaultSchema),
    /** Postgres connections of one instance. */
    DB_POOL_SIZE: envInt({ min: 2, max: 200 }).default(10),
  });
}

/** The parsed {@link databaseEnv}. */
export type DatabaseEnv = z.infer<ReturnType<typeof databaseEnv>>;
