import { authEnv } from '@ioc/auth';
import { databaseEnv } from '@ioc/database';
import { commonEnv, configToken, envInt } from '@ioc/observability';

/** The kpi service's environment, parsed once in main.ts (docs/architecture.md, "Config"). */
export const kpiEnv = authEnv
  .safeExtend(commonEnv.shape)
  .safeExtend(databaseEnv('kpi').shape)
  .safeExtend({
    PORT: envInt({ min: 1, max: 65535 }).default(3003),
  });

export class KpiConfig extends configToken(kpiEnv) {}
