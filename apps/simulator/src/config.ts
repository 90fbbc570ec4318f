import { commonEnv, configToken, envInt } from '@ioc/observability';

/** The simulator talks to the public interfaces only (Kafka, REST), so it needs no database. */
export const simulatorEnv = commonEnv.safeExtend({
  PORT: envInt({ min: 1, max: 65535 }).default(3004),
});

export class SimulatorConfig extends configToken(simulatorEnv) {}
