import { authEnv } from '@ioc/auth';
import { databaseEnv } from '@ioc/database';
import { commonEnv, configToken, envDuration, envInt, kafkaEnvRules } from '@ioc/observability';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** The kpi service's environment, parsed once in main.ts (docs/architecture.md, "Config"). */
export const kpiEnv = authEnv
  .safeExtend(commonEnv.shape)
  .check(...kafkaEnvRules)
  .safeExtend(databaseEnv('kpi').shape)
  .safeExtend({
    PORT: envInt({ min: 1, max: 65535 }).default(3003),
    /**
     * How long after a period bucket ends (event time) an event still updates it; one arriving later counts
     * in the bucket's late count only.
     */
    KPI_GRACE_PERIOD: envDuration({ min: 0, max: 31 * DAY }).default(2 * 60 * MINUTE),
    /** Each KPI key (KPI, dimension value, period bucket) is published at most once per this interval. */
    KPI_PUBLISH_INTERVAL: envDuration({ min: 50, max: 60 * MINUTE }).default(10 * SECOND),
    /** Dirty keys one publisher round evaluates and publishes, each round one transaction. */
    KPI_PUBLISH_BATCH: envInt({ min: 1, max: 10_000 }).default(500),
    /** Messages per consumer transaction (set-wise SQL per chunk). */
    KPI_CHUNK_SIZE: envInt({ min: 1, max: 20_000 }).default(5000),
    /**
     * Source partitions folded at once, each chunk in its own transaction: one folds in Node while another
     * waits on Postgres. Chunks lock rows in one order, so they never deadlock. Keep it below DB_POOL_SIZE.
     */
    KPI_PARTITION_CONCURRENCY: envInt({ min: 1, max: 32 }).default(3),
  })
  .refine((env) => env.KPI_PARTITION_CONCURRENCY < env.DB_POOL_SIZE, {
    path: ['KPI_PARTITION_CONCURRENCY'],
    error: 'KPI_PARTITION_CONCURRENCY must be below DB_POOL_SIZE',
  });

export class KpiConfig extends configToken(kpiEnv) {}
