import { authEnv } from '@ioc/auth';
import { databaseEnv } from '@ioc/database';
import { DETECTION_CLASSES, INCIDENT_SEVERITIES } from '@ioc/contracts';
import { commonEnv, configToken, envDuration, envInt, kafkaEnvRules } from '@ioc/observability';
import { z } from 'zod';
import { ingestEnv } from './ingest/ingest.config';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** One severity rule; the first rule whose every given condition holds decides (see severity.ts). */
const severityRule = z.strictObject({
  severity: z.enum(INCIDENT_SEVERITIES),
  classes: z.array(z.enum(DETECTION_CLASSES)).min(1).max(DETECTION_CLASSES.length).optional(),
  minConfidence: z.number().min(0).max(1).optional(),
  minCount: z.number().int().min(1).max(1e9).optional(),
  /** Local hours [from, to) in CITY_TIMEZONE; from > to wraps past midnight (22 → 6). */
  hours: z.tuple([z.number().int().min(0).max(23), z.number().int().min(1).max(24)]).optional(),
});
export type SeverityRule = z.infer<typeof severityRule>;

/**
 * The city's defaults: what endangers people is high at once and critical when confirmed; congestion at
 * night (fewer patrols) rises a step. A city overrides them with INTAKE_INCIDENT_SEVERITY_RULES.
 */
export const DEFAULT_SEVERITY_RULES: readonly SeverityRule[] = [
  { severity: 'critical', classes: ['fire-smoke', 'accident'], minConfidence: 0.8, minCount: 5 },
  { severity: 'high', classes: ['fire-smoke', 'accident', 'flooding', 'wrong-way'] },
  { severity: 'high', classes: ['congestion', 'crowd'], minCount: 20 },
  { severity: 'medium', classes: ['congestion', 'crowd'], hours: [22, 6] },
  { severity: 'medium', classes: ['congestion', 'crowd', 'queue-length'] },
  { severity: 'low' },
];

const severityRules = z.string().transform((text, ctx): SeverityRule[] => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON array of severity rules' });
    return z.NEVER;
  }
  const parsed = z.array(severityRule).min(1).max(100).safeParse(json);
  if (!parsed.success) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a JSON array of severity rules: ${parsed.error.issues[0]?.message}`,
    });
    return z.NEVER;
  }
  return parsed.data;
});

const ratio = z.coerce.number().gt(0).lt(1);

/** The intake service's environment, parsed once in main.ts (docs/architecture.md, "Config"). */
export const intakeEnv = authEnv
  .safeExtend(commonEnv.shape)
  .check(...kafkaEnvRules)
  .safeExtend(databaseEnv('intake').shape)
  .safeExtend(ingestEnv.shape)
  .safeExtend({
    PORT: envInt({ min: 1, max: 65535 }).default(3002),
    /** Detections of one camera and class this close (event time) to an open incident merge into it. */
    INTAKE_INCIDENT_CORRELATION_WINDOW: envDuration({ min: SECOND, max: DAY }).default(5 * MINUTE),
    /** Detections below this confidence are counted but open nothing. */
    INTAKE_DETECTION_CONFIDENCE_FLOOR: z.coerce.number().min(0).max(1).default(0.5),
    /** An incident without a new detection or observation for this long clears itself (`expired`). */
    INTAKE_INCIDENT_QUIET_PERIOD: envDuration({ min: SECOND, max: 7 * DAY }).default(15 * MINUTE),
    /** At most one `incident.updated` per incident per this interval, not one per detection. */
    INTAKE_INCIDENT_UPDATE_INTERVAL: envDuration({ min: 0, max: DAY }).default(30 * SECOND),
    /** Events older than this (event time against the clock) are counted as late and change nothing. */
    INTAKE_EVENT_LATE_GRACE: envDuration({ min: SECOND, max: 7 * DAY }).default(10 * MINUTE),
    /** Events dated further ahead than this are dead-lettered: a wrong clock would hold windows open. */
    INTAKE_EVENT_MAX_FUTURE_SKEW: envDuration({ min: 0, max: DAY }).default(2 * MINUTE),
    INTAKE_INCIDENT_SEVERITY_RULES: severityRules.default(() => [...DEFAULT_SEVERITY_RULES]),
    /** A camera without a heartbeat for this long goes offline. */
    INTAKE_CAMERA_OFFLINE_AFTER: envDuration({ min: SECOND, max: DAY }).default(2 * MINUTE),
    /** Speed / free-flow speed below which a segment is slow, congested, jammed. */
    INTAKE_TRAFFIC_SLOW_RATIO: ratio.default(0.7),
    INTAKE_TRAFFIC_CONGESTED_RATIO: ratio.default(0.45),
    INTAKE_TRAFFIC_JAMMED_RATIO: ratio.default(0.2),
    /** A level is left for a better one only once the ratio is this much above its threshold. */
    INTAKE_TRAFFIC_HYSTERESIS: z.coerce.number().min(0).max(0.5).default(0.05),
    /** A jam lasting this long (event time) opens an incident. */
    INTAKE_TRAFFIC_JAM_INCIDENT_AFTER: envDuration({ min: 0, max: DAY }).default(10 * MINUTE),
    /** How often the sweepers look for quiet incidents, pending updates and silent cameras. */
    INTAKE_SWEEP_INTERVAL: envDuration({ min: 50, max: 10 * MINUTE }).default(5 * SECOND),
    /** Messages per consumer transaction (set-wise SQL per chunk). */
    INTAKE_CHUNK_SIZE: envInt({ min: 1, max: 5000 }).default(1000),
    /**
     * Detection partitions one instance applies at once, each in its own transaction: overlapping their
     * database round trips is what keeps latency down (bench/intake at 2,000/s on 2 cores: p99 573 ms at 2,
     * 214 ms at 8, 134 ms at 12).
     * The catalog gives the topic 12 partitions; keep it below DB_POOL_SIZE.
     */
    INTAKE_PARTITION_CONCURRENCY: envInt({ min: 1, max: 64 }).default(12),
    /** Postgres connections of one instance: the concurrent partitions, the other consumers, relay, sweeps, HTTP. */
    DB_POOL_SIZE: envInt({ min: 2, max: 200 }).default(20),
  })
  .refine((env) => env.INTAKE_PARTITION_CONCURRENCY < env.DB_POOL_SIZE, {
    path: ['INTAKE_PARTITION_CONCURRENCY'],
    error: 'INTAKE_PARTITION_CONCURRENCY must be below DB_POOL_SIZE',
  })
  .refine(
    (env) =>
      env.INTAKE_TRAFFIC_SLOW_RATIO > env.INTAKE_TRAFFIC_CONGESTED_RATIO &&
      env.INTAKE_TRAFFIC_CONGESTED_RATIO > env.INTAKE_TRAFFIC_JAMMED_RATIO,
    {
      path: ['INTAKE_TRAFFIC_SLOW_RATIO'],
      error:
        'INTAKE_TRAFFIC_SLOW_RATIO > INTAKE_TRAFFIC_CONGESTED_RATIO > INTAKE_TRAFFIC_JAMMED_RATIO must hold',
    },
  );

export class IntakeConfig extends configToken(intakeEnv) {}
