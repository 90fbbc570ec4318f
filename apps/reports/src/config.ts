import { authEnv } from '@ioc/auth';
import { databaseEnv } from '@ioc/database';
import { commonEnv, configToken, envBool, envDuration, envInt, kafkaEnvRules } from '@ioc/observability';
import { z } from 'zod';

const DAY = 86_400_000;

/** The reports service's environment, parsed once in main.ts (docs/architecture.md, "Config"). */
export const reportsEnv = authEnv
  .safeExtend(commonEnv.shape)
  .check(...kafkaEnvRules)
  .safeExtend(databaseEnv('reports').shape)
  .safeExtend({
    PORT: envInt({ min: 1, max: 65535 }).default(3001),
    /** A resolved report the citizen neither confirms nor reopens is closed after this. */
    REPORTS_AUTO_CLOSE_AFTER: envDuration({ min: 60_000, max: 365 * DAY }).default(7 * DAY),
    /** How long after the answer a citizen may still reopen a report. */
    REPORTS_REOPEN_WINDOW: envDuration({ min: 60_000, max: 365 * DAY }).default(7 * DAY),
    /** How often the SLA / auto-close sweep runs; it is safe with several instances running. */
    REPORTS_SWEEP_INTERVAL: envDuration({ min: 1_000, max: DAY }).default(30_000),
    REPORTS_SWEEP_ENABLED: envBool().default(true),
    /** How long reference data (categories, units, rules) is cached before it is read again. */
    REPORTS_REFERENCE_TTL: envDuration({ min: 0, max: DAY }).default(60_000),
    /** How long the first answer to an `Idempotency-Key` is kept for retries. */
    REPORTS_IDEMPOTENCY_TTL: envDuration({ min: 60_000, max: 30 * DAY }).default(DAY),
    /** The Open311 `jurisdiction_id` this deployment answers to; when set, requests naming another are refused. */
    REPORTS_OPEN311_JURISDICTION: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'must be 1-64 letters, digits, dots, dashes or underscores' })
      .optional(),
    /** How many photos a citizen may attach (the report events count at most 10). */
    REPORTS_MAX_PHOTOS: envInt({ min: 0, max: 10 }).default(5),
    /** Largest photo accepted, in bytes; a larger one answers 413. */
    REPORTS_MAX_PHOTO_BYTES: envInt({ min: 1024, max: 50 * 1024 * 1024 }).default(5 * 1024 * 1024),
    /**
     * Largest width × height of a photo the service decodes; a larger one (a decompression bomb: a few bytes
     * declaring 50000 × 50000) is refused with 413 before any pixel is decoded. 50 MP fits a 48 MP phone camera.
     */
    REPORTS_MAX_PHOTO_PIXELS: envInt({ min: 1_000_000, max: 268_402_689 }).default(50_000_000),
    /** Longest side, in pixels, of a stored photo; larger photos are scaled down to fit. */
    REPORTS_MAX_PHOTO_EDGE: envInt({ min: 256, max: 16_384 }).default(2560),
    /** JSON body limit of the API (body-parser syntax); larger bodies answer 413. */
    REPORTS_JSON_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/, { error: 'must be a size such as 64kb or 1mb' })
      .default('64kb'),
  });

export class ReportsConfig extends configToken(reportsEnv) {}
