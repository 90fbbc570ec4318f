import { authEnv } from '@ioc/auth';
import { databaseEnv } from '@ioc/database';
import { commonEnv, configToken, envInt } from '@ioc/observability';

/** The gateway service's environment, parsed once in main.ts (CONVENTIONS: Config). */
export const gatewayEnv = authEnv
  .safeExtend(commonEnv.shape)
  .safeExtend(databaseEnv('gateway').shape)
  .safeExtend({
    PORT: envInt({ min: 1, max: 65535 }).default(3000),
  });

export class GatewayConfig extends configToken(gatewayEnv) {}
