import { authEnv } from '@ioc/auth';
import { commonEnv, configToken, envInt } from '@ioc/observability';

/**
 * The gateway's environment, parsed once in main.ts: Kafka and auth, no database (it keeps no state of its own;
 * Kafka is its replay log).
 */
export const gatewayEnv = authEnv.safeExtend(commonEnv.shape).safeExtend({
  PORT: envInt({ min: 1, max: 65535 }).default(3000),
});

export class GatewayConfig extends configToken(gatewayEnv) {}
