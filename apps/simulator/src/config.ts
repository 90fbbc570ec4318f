import { authEnv } from '@ioc/auth';
import { commonEnv, configToken, envBool, envDuration, envInt, envUrl } from '@ioc/observability';
import { cityDataEnv } from '@ioc/reference-data';
import { z } from 'zod';
import { parseTimeOfDay } from './runner/scenario-time';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const share = z.coerce.number().min(0).max(1);

/**
 * The simulator talks to the public interfaces only (Kafka, REST), so it needs no database. Its settings say where
 * the services are, how fast and how much to simulate, and which city.
 */
export const simulatorEnv = commonEnv.safeExtend({
  PORT: envInt({ min: 1, max: 65535 }).default(3004),
  /** Where the development issuer keeps its key pair: the simulator mints each agency's tokens with it (as `npm run token` does). */
  AUTH_DEV_KEYS_DIR: authEnv.shape.AUTH_DEV_KEYS_DIR,
  /** The city's reference-data folder (with its optional `simulation.json`); the services must be seeded with the same. */
  CITY_DATA_DIR: cityDataEnv.shape.CITY_DATA_DIR,
  /** Base URL of the reports service (citizens, Open311 clients and agencies call it). */
  SIMULATOR_REPORTS_URL: envUrl(['http:', 'https:']).default('http://127.0.0.1:3001'),
  /** Base URL of the intake service (its HTTP ingest). */
  SIMULATOR_INTAKE_URL: envUrl(['http:', 'https:']).default('http://127.0.0.1:3002'),
  /** Intake integrator key scoped to the inbound topics (`npm run api-key -- --service intake …`); unset skips the HTTP path. */
  SIMULATOR_INTAKE_API_KEY: z.string().min(1).optional(),
  /** Reports integrator key for Open311 `POST requests` (`npm run api-key -- --service reports …`); unset skips Open311 reports. */
  SIMULATOR_OPEN311_API_KEY: z.string().min(1).optional(),
  /** Start simulating when the service starts (the `simulator` app); off leaves it idle. */
  SIMULATOR_ENABLED: envBool().default(true),
  /** Seed of the scenario: the same seed sends the same sequence of requests. */
  SIMULATOR_SEED: envInt({ min: 0, max: 4294967295 }).default(1),
  /** Time compression: simulated seconds per real second (60 plays an hour in a minute). */
  SIMULATOR_SPEED: z.coerce.number().min(0.01).max(100_000).default(1),
  /** Volume multiplier of citizen reports, channel submissions and background detections. */
  SIMULATOR_RATE: z.coerce.number().min(0).max(1000).default(1),
  /** Citizen reports a day before the rate multiplier, over every channel. */
  SIMULATOR_REPORTS_PER_DAY: envInt({ min: 0, max: 10_000_000 }).default(400),
  /** Local time of day (`HH:MM`) the simulated day starts at. */
  SIMULATOR_START_TIME: z
    .string()
    .refine((text) => parseTimeOfDay(text) !== undefined, { error: 'must be a time of day such as 06:00' })
    .default('06:00'),
  /** Simulated time to run before stopping on its own; unset runs until stopped. */
  SIMULATOR_DURATION: envDuration({ min: MINUTE, max: 365 * DAY }).optional(),
  /** Share of integrator events sent over intake's HTTP ingest; the rest go straight to Kafka (0 Kafka only, 1 HTTP only). */
  SIMULATOR_HTTP_SHARE: share.default(0.5),
  /** Simulated interval between two heartbeats of a camera. */
  SIMULATOR_HEARTBEAT_INTERVAL: envDuration({ min: 1000, max: DAY }).default(MINUTE),
  /** Simulated interval between two observations of a road segment. */
  SIMULATOR_TRAFFIC_INTERVAL: envDuration({ min: 1000, max: DAY }).default(5 * MINUTE),
  /** Highest confidence of background detections: keep it below intake's `INTAKE_DETECTION_CONFIDENCE_FLOOR`. */
  SIMULATOR_NOISE_CONFIDENCE_MAX: share.default(0.45),
  /** Share of handled reports an agency acknowledges or resolves after the category's SLA. */
  SIMULATOR_LATE_SHARE: share.default(0.15),
  /** Share of app and web reports that repeat a recent one (same place and category). */
  SIMULATOR_DUPLICATE_SHARE: share.default(0.08),
  /** Requests out at once; beyond it the simulator falls behind its schedule (the progress shows the lag). */
  SIMULATOR_MAX_IN_FLIGHT: envInt({ min: 1, max: 10_000 }).default(32),
  /**
   * A file to append one JSON line to before each report submission or event batch is sent and one after its
   * answer (its id, event ids and outcome), for a fault suite to reconcile with the services; unset writes none.
   */
  SIMULATOR_SENT_LOG: z.string().min(1).optional(),
  /** How often the app logs its progress (the CLI redraws its display every 2 s). */
  SIMULATOR_PROGRESS_INTERVAL: envDuration({ min: 1000, max: DAY }).default(30_000),
});

export class SimulatorConfig extends configToken(simulatorEnv) {}
