import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DevTokenIssuer } from '@ioc/auth';
import type { EventProducer, TopicNames } from '@ioc/messaging';
import { loadCityData } from '@ioc/reference-data';
import sharp from 'sharp';
import type { SimulatorConfig } from '../config';
import { EventsDriver } from '../drivers/events.driver';
import { type AgencyTokens, ReportsDriver } from '../drivers/reports.driver';
import { SentLog } from '../drivers/sent-log';
import { Tally } from '../drivers/tally';
import type { Action } from '../scenario/actions';
import { CityModel } from '../scenario/city-model';
import { defaultScenarioSettings, Scenario } from '../scenario/scenario';
import { loadSimulationProfile } from '../scenario/simulation-profile';
import { parseTimeOfDay } from '../runner/scenario-time';
import {
  type ActionPerformer,
  type RealTime,
  SimulationRunner,
  systemRealTime,
} from '../runner/simulation-runner';

/** Everything a running simulation is made of; the app and the CLI build it the same way. */
export interface Simulation {
  readonly runner: SimulationRunner;
  readonly tally: Tally;
  readonly reports: ReportsDriver;
  readonly events: EventsDriver;
  readonly cityCode: string;
  readonly startAt: number;
}

export interface SimulationDeps {
  producer: Pick<EventProducer, 'sendEvents'>;
  topics: TopicNames;
  /** Agency tokens; by default minted by the development issuer in `AUTH_DEV_KEYS_DIR`. */
  tokens?: AgencyTokens;
  time?: RealTime;
  onError?: (error: unknown) => void;
}

/** Loads the city, builds the scenario for `config` and the drivers that perform it; nothing is sent before `runner.run()`. */
export async function createSimulation(config: SimulatorConfig, deps: SimulationDeps): Promise<Simulation> {
  const dir = path.resolve(config.CITY_DATA_DIR);
  const data = await loadCityData(dir);
  const profile = await loadSimulationProfile(dir, data);
  const time = deps.time ?? systemRealTime;
  const startAt = parseTimeOfDay(config.SIMULATOR_START_TIME) ?? 0;
  const scenario = new Scenario(
    // Units in effect now: the reports service routes by them when the requests arrive.
    new CityModel(data, new Date(time.now())),
    defaultScenarioSettings({
      seed: config.SIMULATOR_SEED,
      startAt,
      rate: config.SIMULATOR_RATE,
      reportsPerDay: config.SIMULATOR_REPORTS_PER_DAY,
      httpShare: config.SIMULATOR_HTTP_SHARE,
      heartbeatIntervalMs: config.SIMULATOR_HEARTBEAT_INTERVAL,
      trafficIntervalMs: config.SIMULATOR_TRAFFIC_INTERVAL,
      noiseConfidenceMax: config.SIMULATOR_NOISE_CONFIDENCE_MAX,
      lateShare: config.SIMULATOR_LATE_SHARE,
      duplicateShare: config.SIMULATOR_DUPLICATE_SHARE,
      profile,
    }),
  );
  const tally = new Tally();
  const runId = `sim-${config.SIMULATOR_SEED}-${randomBytes(4).toString('hex')}`;
  const sentLog = new SentLog(config.SIMULATOR_SENT_LOG, runId);
  const reports = new ReportsDriver({
    baseUrl: config.SIMULATOR_REPORTS_URL,
    tokens: deps.tokens ?? (await devAgencyTokens(config)),
    ...(config.SIMULATOR_OPEN311_API_KEY === undefined
      ? {}
      : { open311ApiKey: config.SIMULATOR_OPEN311_API_KEY }),
    photos: await samplePhotos(),
    tally,
    sentLog,
  });
  const events = new EventsDriver({
    producer: deps.producer,
    topics: deps.topics,
    intakeUrl: config.SIMULATOR_INTAKE_URL,
    ...(config.SIMULATOR_INTAKE_API_KEY === undefined
      ? {}
      : { intakeApiKey: config.SIMULATOR_INTAKE_API_KEY }),
    cityCode: data.city.code,
    runId,
    tally,
    sentLog,
  });
  const performer: ActionPerformer = {
    perform: (action: Action, now: Date) => {
      if (action.kind === 'report.submit') return reports.submit(action);
      if (action.kind.startsWith('agency.'))
        return reports.agency(action as Extract<Action, { agencyId: string }>);
      if (action.kind.startsWith('citizen.'))
        return reports.citizen(
          action as Extract<Action, { kind: 'citizen.confirm' | 'citizen.reopen' | 'citizen.rate' }>,
        );
      events.add(action, now);
      return Promise.resolve();
    },
    drain: () => events.drain(),
  };
  const runner = new SimulationRunner(
    scenario,
    performer,
    {
      speed: config.SIMULATOR_SPEED,
      startAt,
      ...(config.SIMULATOR_DURATION === undefined ? {} : { endAt: startAt + config.SIMULATOR_DURATION }),
      maxInFlight: config.SIMULATOR_MAX_IN_FLIGHT,
    },
    time,
    deps.onError,
  );
  return { runner, tally, reports, events, cityCode: data.city.code, startAt };
}

/** Each agency's token from the development issuer the services trust in AUTH_MODE=dev, minted once an hour. */
async function devAgencyTokens(config: SimulatorConfig): Promise<AgencyTokens> {
  const issuer = await DevTokenIssuer.open({
    keysDir: config.AUTH_DEV_KEYS_DIR,
    nodeEnv: config.NODE_ENV,
  }).catch(() => undefined);
  const cache = new Map<string, { token: Promise<string>; until: number }>();
  return (agencyId) => {
    if (!issuer) return Promise.reject(new Error('no development token issuer (NODE_ENV=production)'));
    const cached = cache.get(agencyId);
    if (cached && cached.until > Date.now()) return cached.token;
    const token = issuer.mint({
      subject: `simulator-${agencyId}`,
      roles: ['agency'],
      agencyId,
      ttlSeconds: 3600,
    });
    cache.set(agencyId, { token, until: Date.now() + 50 * 60_000 });
    return token;
  };
}

/** Two small JPEGs a citizen's phone might send (plain colour: cheap to make and to sanitise). */
async function samplePhotos(): Promise<Buffer[]> {
  const colours = [
    { r: 96, g: 110, b: 120 },
    { r: 70, g: 120, b: 80 },
  ];
  return Promise.all(
    colours.map((background) =>
      sharp({ create: { width: 320, height: 240, channels: 3, background } })
        .jpeg({ quality: 70 })
        .toBuffer(),
    ),
  );
}
