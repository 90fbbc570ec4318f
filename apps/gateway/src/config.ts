import { authEnv } from '@ioc/auth';
import { commonEnv, configToken, envDuration, envInt, envUrl, kafkaEnvRules } from '@ioc/observability';
import { cityDataEnv } from '@ioc/reference-data';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The gateway's environment, parsed once in main.ts: Kafka and auth, no database (it keeps no state of its own;
 * Kafka is its replay log), and the city's reference data for the wall's map.
 */
export const gatewayEnv = authEnv
  .safeExtend(commonEnv.shape)
  .check(...kafkaEnvRules)
  .safeExtend(cityDataEnv.shape)
  .safeExtend({
    PORT: envInt({ min: 1, max: 65535 }).default(3000),
    /** How far back a client may resume from its cursor; an older cursor gets a fresh snapshot. */
    GATEWAY_REPLAY_HORIZON: envDuration({ min: MINUTE, max: 24 * HOUR }).default(15 * MINUTE),
    /**
     * How often a client is sent the live changes due to it, as one `live:events` message: longer costs delay,
     * shorter costs a packet per client more often.
     */
    GATEWAY_PUSH_INTERVAL: envDuration({ min: 1, max: SECOND }).default(25),
    /** Changes a client may have waiting before it is told to start again (`live:resync`, `too-slow`). */
    GATEWAY_CLIENT_MAX_PENDING: envInt({ min: 1, max: 100_000 }).default(1_000),
    /** Changes written but not yet sent to a client beyond which the next ones wait in the gateway. */
    GATEWAY_CLIENT_MAX_IN_FLIGHT: envInt({ min: 1, max: 10_000 }).default(64),
    /** Messages a client may send per second, in bursts of twice as many; beyond that each is answered with an error. */
    GATEWAY_CLIENT_RATE_PER_SECOND: envInt({ min: 1, max: 1_000 }).default(5),
    /** Base URL of the reports service, where operators' actions on reports are forwarded. */
    GATEWAY_REPORTS_URL: envUrl(['http:', 'https:']).default('http://127.0.0.1:3001'),
    /** Base URL of the intake service, where operators' actions on incidents are forwarded. */
    GATEWAY_INTAKE_URL: envUrl(['http:', 'https:']).default('http://127.0.0.1:3002'),
    /** How long a forwarded action may take before the gateway answers 502. */
    GATEWAY_UPSTREAM_TIMEOUT: envDuration({ min: 100, max: MINUTE }).default(10 * SECOND),
  });

export class GatewayConfig extends configToken(gatewayEnv) {}
