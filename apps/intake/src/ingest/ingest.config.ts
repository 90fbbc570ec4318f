import { configToken, envInt } from '@ioc/observability';
import { z } from 'zod';

/**
 * The HTTP and NGSI-LD ingest's environment. Every variable has a safe default, so the service starts without
 * them; merged into the intake service's config schema they are validated at start-up like the others.
 */
export const ingestEnv = z.object({
  /** Largest request body of the CloudEvents structured/batch and NGSI-LD routes, in bytes. */
  INTAKE_INGEST_MAX_BODY_BYTES: envInt({ min: 1024, max: 16 * 1024 * 1024 }).default(256 * 1024),
  /** Most events in one batch request or NGSI-LD notification; more answers 413. */
  INTAKE_INGEST_MAX_BATCH_EVENTS: envInt({ min: 1, max: 10_000 }).default(500),
  /** Sustained requests per second each API key may make (token bucket refill rate). */
  INTAKE_INGEST_RATE_LIMIT_PER_SECOND: envInt({ min: 1, max: 1_000_000 }).default(50),
  /** Requests an API key may make in a burst above the sustained rate (token bucket capacity). */
  INTAKE_INGEST_RATE_LIMIT_BURST: envInt({ min: 1, max: 1_000_000 }).default(100),
});

export type IngestEnv = z.infer<typeof ingestEnv>;

export class IngestConfig extends configToken(ingestEnv) {}
