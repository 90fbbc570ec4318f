// `npm run simulate -- --speed 60 --cameras 2000 --seed 7`: the simulator from a terminal, against the services
// `npm start` runs (their URLs and keys from the SIMULATOR_* settings, see apps/simulator/README.md).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createKafka, EventProducer, kafkaConnection, TopicNames } from '@ioc/messaging';
import { loadConfig } from '@ioc/observability';
import { simulatorEnv } from '../config';
import { writeFleetCity } from '../fleet/write-fleet';
import { ProgressDisplay } from '../runner/progress';
import { createSimulation } from '../simulation/simulation';

const USAGE = `usage: npm run simulate -- [options]
  --speed <n>        simulated seconds per real second (SIMULATOR_SPEED, default 1)
  --rate <n>         volume multiplier of reports and background detections (SIMULATOR_RATE, default 1)
  --seed <n>         scenario seed: the same seed sends the same requests (SIMULATOR_SEED, default 1)
  --start <HH:MM>    local time the simulated day starts at (SIMULATOR_START_TIME, default 06:00)
  --duration <d>     simulated time to run, e.g. 2h or 1d (SIMULATOR_DURATION; default until Ctrl-C)
  --http-share <s>   share of integrator events over intake's HTTP ingest, 0 to 1 (SIMULATOR_HTTP_SHARE)
  --city <dir>       the city's data folder (CITY_DATA_DIR, default data/cities/hai-phong)
  --cameras <n>      a fleet of n cameras: writes a copy of the city folder with generated cameras and road
                     segments to --city-out and simulates it; seed the services with it first
                     (CITY_DATA_DIR=<folder> npm run seed, or CITY_DATA_DIR=<folder> npm start)
  --city-out <dir>   where --cameras writes the folder (default .run/cities/<city>-<n>-cameras)
  --fleet-only       write the fleet's folder and exit
  --no-keys          do not create integrator keys: Open311 and HTTP ingest are skipped without
                     SIMULATOR_OPEN311_API_KEY / SIMULATOR_INTAKE_API_KEY
Stops cleanly on Ctrl-C: requests still out get their answers, queued events are sent.`;

const ROOT = path.resolve(__dirname, '../../../..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      speed: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      duration: { type: 'string' },
      'http-share': { type: 'string' },
      city: { type: 'string' },
      cameras: { type: 'string' },
      'city-out': { type: 'string' },
      'fleet-only': { type: 'boolean', default: false },
      'no-keys': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const env: Record<string, string | undefined> = {
    ...process.env,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.IOC_KAFKA_PORT ?? 9092}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const flag = (name: string, value: string | undefined) => value !== undefined && (env[name] = value);
  flag('SIMULATOR_SPEED', values.speed);
  flag('SIMULATOR_RATE', values.rate);
  flag('SIMULATOR_SEED', values.seed);
  flag('SIMULATOR_START_TIME', values.start);
  flag('SIMULATOR_DURATION', values.duration);
  flag('SIMULATOR_HTTP_SHARE', values['http-share']);
  flag('CITY_DATA_DIR', values.city);
  let config = loadConfig(simulatorEnv, env);

  if (values.cameras !== undefined) {
    const cameras = Number(values.cameras);
    if (!Number.isInteger(cameras) || cameras < 1 || cameras > 100_000) {
      console.error(`--cameras must be an integer between 1 and 100000\n${USAGE}`);
      return 2;
    }
    const from = path.resolve(config.CITY_DATA_DIR);
    const to = path.resolve(
      values['city-out'] ?? path.join(ROOT, '.run', 'cities', `${path.basename(from)}-${cameras}-cameras`),
    );
    const data = await writeFleetCity(from, to, cameras, config.SIMULATOR_SEED, new Date());
    console.log(
      `${path.relative(process.cwd(), to)}: ${data.cameras.length} cameras, ${data.roadSegments.length} road segments ` +
        `(checked by the reference-data loader). Seed the services with it: CITY_DATA_DIR=${path.relative(process.cwd(), to)} npm run seed`,
    );
    if (values['fleet-only']) return 0;
    config = loadConfig(simulatorEnv, { ...env, CITY_DATA_DIR: to });
  }

  if (!values['no-keys']) {
    config = loadConfig(simulatorEnv, {
      ...env,
      CITY_DATA_DIR: config.CITY_DATA_DIR,
      SIMULATOR_INTAKE_API_KEY: config.SIMULATOR_INTAKE_API_KEY ?? apiKey('intake', ['--scope', 'ioc.*']),
      SIMULATOR_OPEN311_API_KEY: config.SIMULATOR_OPEN311_API_KEY ?? apiKey('reports', []),
    });
  }

  const kafka = createKafka({ clientId: 'simulator', ...kafkaConnection(config), logLevel: 'nothing' });
  const producer = EventProducer.create(kafka);
  const simulation = await createSimulation(config, {
    producer,
    topics: new TopicNames(config.IOC_TOPIC_SUFFIX),
  });
  const display = new ProgressDisplay(process.stdout, config.SIMULATOR_SPEED);
  const draw = () => display.render(simulation.runner.status(), simulation.tally.snapshot(), Date.now());
  const timer = setInterval(draw, process.stdout.isTTY ? 2_000 : 10_000);
  let interrupted = 0;
  process.on('SIGINT', () => {
    if (interrupted++ === 0) {
      process.stderr.write('stopping: waiting for the requests still out…\n');
      void simulation.runner.stop();
    } else process.stderr.write('already stopping\n');
  });
  process.on('SIGTERM', () => void simulation.runner.stop());
  await simulation.runner.run();
  clearInterval(timer);
  draw();
  await producer.disconnect();
  return 0;
}

/** A new integrator key from the service's own key command (the one `npm run api-key` runs), or none. */
function apiKey(service: 'intake' | 'reports', scopes: readonly string[]): string | undefined {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'scripts', 'api-key.mjs'),
      '--service',
      service,
      '--integrator',
      'simulator',
      ...scopes,
    ],
    { cwd: ROOT, encoding: 'utf8', env: process.env },
  );
  const key = result.stdout?.trim();
  if (result.status === 0 && key) return key;
  process.stderr.write(
    `no ${service} API key (npm run api-key -- --service ${service} failed); its HTTP path is skipped\n`,
  );
  return undefined;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
