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
     * Source partitions read at once. Their chunks group-commit: those waiting while a transaction runs are folded
     * together in the next, two transactions at most under way (one folds in Node while the other writes in
     * Postgres). Keep it below DB_POOL_SIZE: a merged transaction that fails leaves each chunk to its own.
     */
    KPI_PARTITION_CONCURRENCY: envInt({ min: 1, max: 32 }).default(8),
  })
  .refine((env) => env.KPI_PARTITION_CONCURRENCY < env.DB_POOL_SIZE, {
    path: ['KPI_PARTITION_CONCURRENCY'],
    error: 'KPI_PARTITION_CONCURRENCY must be below DB_POOL_SIZE',
  });

export class KpiConfig extends configToken(kpiEnv) {}
