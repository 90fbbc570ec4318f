// `npm start`: brings up whatever is missing (Postgres, Kafka), builds, provisions topics, migrates and seeds, starts
// every service and prints where the wall is (docs/architecture.md, "Local infrastructure"). Ctrl-C stops what it
// started. The services' JSON logs go to .run/logs/<app>.log; the terminal shows one line per warning or error, and a
// service that exits is reported and started again (docs/architecture.md "Local infrastructure").
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DIST, ensureBuilt } from './infra/build.mjs';
import { ensureKafka } from './infra/kafka.mjs';
import { createLogView, lineFormatter } from './infra/log-view.mjs';
import { ensurePostgres } from './infra/postgres.mjs';
import { Supervisor } from './infra/supervisor.mjs';
import { LOG_DIR, ROOT, isPortOpen, maskUrl, rel, run, say } from './infra/util.mjs';

const USAGE = `usage: npm start [-- --rebuild] [-- --demo] [-- --log-level <level>]
  --rebuild            build even when dist/ is newer than every source file
  --demo               also start the simulator: a realistic day of the city through the public interfaces,
                       60 times faster than real time (its SIMULATOR_* settings apply, SIMULATOR_SPEED too);
                       same as --with-simulator or IOC_SIMULATOR=1
  --log-level <level>  services' log entries shown here from this level on (default warn; debug, info,
                       warn, error); .run/logs/<app>.log keeps all of them as JSON. debug or trace also
                       sets the services' LOG_LEVEL when it is not set
env: KAFKA_BROKERS, DATABASE_URL (used when they answer), IOC_KAFKA_PORT (9092), IOC_PG_PORT (54329),
     IOC_<APP>_PORT (gateway 3000, reports 3001, intake 3002, kpi 3003, simulator 3004),
     IOC_<APP>_DB_SCHEMA (the app's own schema), CITY_DATA_DIR (data/cities/hai-phong), IOC_TOPIC_SUFFIX,
     KAFKA_REPLICATION_FACTOR (1), IOC_LOG_DIR (.run/logs: where the services' logs go)`;

/** Start order: producers of events before their consumers, the gateway (the wall) last of the services. */
const APPS = [
  { name: 'reports', port: 3001 },
  { name: 'intake', port: 3002 },
  // V8's young generation up to 64 MiB a semi-space, as in docker/compose.yaml and k8s/base/kpi.yaml
  // (docs/architecture.md, "KPI service").
  { name: 'kpi', port: 3003, nodeOptions: '--max-semi-space-size=64' },
  { name: 'gateway', port: 3000 },
  { name: 'simulator', port: 3004 },
];
/** The services' logs; a run beside another (the journeys spec) keeps its own. */
const LOGS = process.env.IOC_LOG_DIR ? path.resolve(process.env.IOC_LOG_DIR) : LOG_DIR;
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

const { values: flags } = parseArgs({
  options: {
    rebuild: { type: 'boolean', default: false },
    'with-simulator': { type: 'boolean', default: false },
    demo: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'warn' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
try {
  lineFormatter({ service: 'check', minLevel: flags['log-level'] });
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
const withSimulator = flags.demo || flags['with-simulator'] || process.env.IOC_SIMULATOR === '1';

/** Simulated seconds per second when the simulator runs under `npm start` (SIMULATOR_SPEED overrides it). */
const DEMO_SPEED = 60;

/** Everything this run started, newest last; stopped in reverse order. */
const infra = [];
/** One per started service: its supervisor and its log view. */
const services = [];
let stopping = false;

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  await main();
  // Kafka is detached and unreferenced: keep this process (and so Ctrl-C handling) alive even when no
  // service is built yet and the infrastructure is all there is to run.
  setInterval(() => undefined, 1 << 30);
} catch (error) {
  // A Ctrl-C during start-up stops the supervisors, whose readiness waits then fail: not a start failure.
  if (!stopping) {
    say(`start failed: ${error.message}`);
    await shutdown(1);
  }
}

async function main() {
  mkdirSync(LOGS, { recursive: true });
  const postgres = await ensurePostgres();
  infra.push(postgres);
  // Detached: a terminal's Ctrl-C must not reach the broker before the services have drained.
  const kafka = await ensureKafka({ detached: true });
  infra.push(kafka);
  const env = {
    ...process.env,
    KAFKA_BROKERS: kafka.brokers.join(','),
    DATABASE_URL: postgres.url,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    CITY_DATA_DIR: process.env.CITY_DATA_DIR ?? path.join(ROOT, 'data', 'cities', 'hai-phong'),
    KAFKA_REPLICATION_FACTOR: process.env.KAFKA_REPLICATION_FACTOR ?? '1',
  };
  // Services log from `info` on by default: a terminal asking for less would otherwise show nothing more.
  if (['debug', 'trace'].includes(flags['log-level'])) env.LOG_LEVEL ??= flags['log-level'];

  await ensureBuilt({ rebuild: flags.rebuild });
  await runCli('topics', path.join(DIST, 'libs/messaging/src/cli/provision-topics.cli.js'), env);
  const selected = APPS.filter((app) => app.name !== 'simulator' || withSimulator);
  for (const app of selected) {
    const cli = path.join(DIST, 'apps', app.name, 'src', 'cli');
    await runCli(`${app.name} migrations`, path.join(cli, 'migrate.js'), envOf(app.name, env));
    await runCli(`${app.name} reference data`, path.join(cli, 'seed.js'), envOf(app.name, env));
  }

  const runnable = selected
    .filter((app) => {
      if (existsSync(mainOf(app))) return true;
      say(`${app.name}: not built yet (no ${rel(mainOf(app))}); skipped`);
      return false;
    })
    .map((app) => ({ ...app, port: Number(process.env[`IOC_${app.name.toUpperCase()}_PORT`] ?? app.port) }));
  for (const app of runnable) {
    if (await isPortOpen(app.port)) {
      throw new Error(
        `port ${app.port} (${app.name}) is in use: is another npm start running? IOC_${app.name.toUpperCase()}_PORT moves it`,
      );
    }
  }
  // The simulator drives load through the other services' public interfaces: start it once they are ready.
  const [core, late] = [
    runnable.filter((a) => a.name !== 'simulator'),
    runnable.filter((a) => a.name === 'simulator'),
  ];
  const coreEnv = { ...env, ...gatewaySettings(env, core) };
  await Promise.all(core.map((app) => startService(app, coreEnv)));
  const simulatorEnv = late.length > 0 ? { ...env, ...(await simulatorSettings(env, core)) } : env;
  await Promise.all(late.map((app) => startService(app, simulatorEnv)));
  printBanner({ kafka, postgres, started: runnable });
}

/** An app's environment: the common one, and its own schema when IOC_<APP>_DB_SCHEMA names one. */
function envOf(name, env) {
  const schema = env[`IOC_${name.toUpperCase()}_DB_SCHEMA`];
  return schema ? { ...env, DB_SCHEMA: schema } : env;
}

/** Where the gateway forwards the wall's actions and finds KPIs: the ports the services were started on. */
function gatewaySettings(env, core) {
  const settings = {};
  for (const name of ['reports', 'intake', 'kpi']) {
    const port = core.find((app) => app.name === name)?.port;
    const variable = `GATEWAY_${name.toUpperCase()}_URL`;
    if (port !== undefined && env[variable] === undefined) settings[variable] = `http://127.0.0.1:${port}`;
  }
  return settings;
}

/**
 * Where the simulator finds the services and its integrator keys: one key of intake (its HTTP ingest) and one of
 * reports (Open311), made by each service's own key command, unless SIMULATOR_*_API_KEY is set already.
 */
async function simulatorSettings(env, core) {
  const urlOf = (name) => core.find((app) => app.name === name)?.port;
  const settings = {
    // A demo shows a day of the city in 24 minutes, so that the wall moves within a minute of the banner.
    SIMULATOR_SPEED: env.SIMULATOR_SPEED ?? String(DEMO_SPEED),
    SIMULATOR_REPORTS_URL: env.SIMULATOR_REPORTS_URL ?? `http://127.0.0.1:${urlOf('reports') ?? 3001}`,
    SIMULATOR_INTAKE_URL: env.SIMULATOR_INTAKE_URL ?? `http://127.0.0.1:${urlOf('intake') ?? 3002}`,
  };
  const keys = [
    ['SIMULATOR_INTAKE_API_KEY', 'intake', ['--scope', 'ioc.*']],
    ['SIMULATOR_OPEN311_API_KEY', 'reports', []],
  ];
  for (const [name, service, scopes] of keys) {
    if (env[name]) continue;
    const cli = path.join(DIST, 'apps', service, 'src', 'cli', 'api-key.js');
    if (!existsSync(cli)) continue;
    const output = await run(process.execPath, [cli, '--integrator', 'simulator', ...scopes], {
      env: envOf(service, env),
    });
    settings[name] = output.trim().split('\n').pop();
  }
  return settings;
}

/** Runs a one-shot CLI from dist/ if the app has it: a Kafka-only service has no migrations or seed. */
async function runCli(label, script, env) {
  if (!existsSync(script)) return;
  say(`${label}: node ${rel(script)}`);
  const output = await run(process.execPath, ['--enable-source-maps', script], { env });
  if (output.trim()) process.stderr.write(`${output.trimEnd()}\n`);
}

function mainOf(app) {
  return path.join(DIST, 'apps', app.name, 'src', 'main.js');
}

async function startService(app, env) {
  const logFile = path.join(LOGS, `${app.name}.log`);
  const url = `http://127.0.0.1:${app.port}`;
  const view = createLogView({ service: app.name, logFile, minLevel: flags['log-level'] });
  const supervisor = new Supervisor({
    name: app.name,
    logFile: rel(logFile),
    // Detached (own process group) so that Ctrl-C reaches only this script, which stops services in order.
    spawn: () => {
      const child = spawn(process.execPath, ['--enable-source-maps', mainOf(app)], {
        cwd: ROOT,
        env: {
          ...envOf(app.name, env),
          PORT: String(app.port),
          ...(app.nodeOptions && {
            NODE_OPTIONS: [env.NODE_OPTIONS, app.nodeOptions].filter(Boolean).join(' '),
          }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      view.attach(child);
      return child;
    },
    probe: () =>
      fetch(`${url}/health/ready`).then(
        (response) => response.status === 200,
        () => false,
      ),
    report: (message, event) => say(event.type === 'ready' ? `${message} on ${url}` : message),
    stopTimeoutMs: STOP_TIMEOUT_MS,
  });
  services.push({ ...app, supervisor, view });
  supervisor.start();
  await supervisor.ready(READY_TIMEOUT_MS);
  say(`${app.name} ready on ${url}`);
}

function printBanner({ kafka, postgres, started }) {
  const gateway = started.find((app) => app.name === 'gateway');
  const width = Math.max(...started.map((app) => app.name.length), 8);
  const lines = [
    '',
    gateway
      ? `  Operations wall   http://127.0.0.1:${gateway.port}/`
      : '  Operations wall   (gateway not built yet)',
    '',
    ...started.map(
      (app) =>
        `  ${app.name.padEnd(width)}  http://127.0.0.1:${app.port}  (API docs http://127.0.0.1:${app.port}/docs, log ${rel(path.join(LOGS, `${app.name}.log`))})`,
    ),
    '',
    `  Kafka      ${kafka.brokers.join(',')}${kafka.started ? ' (started here, log .run/logs/kafka.log)' : ''}`,
    `  Postgres   ${maskUrl(postgres.url)}${postgres.started ? ' (started here, log .run/logs/postgres.log)' : ''}`,
    '',
    '  Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
}

/** Stops the services (simulator first), then Kafka and Postgres only if this run started them. */
async function shutdown(code) {
  // Every stop below has a deadline, so a repeated Ctrl-C need not force anything: leaving early would
  // orphan a broker or a database this run started.
  if (stopping) {
    say('already stopping; it ends within the stop deadlines');
    return;
  }
  stopping = true;
  if (services.length > 0 || infra.some((handle) => handle.started)) say('stopping…');
  const stopAll = (list) => Promise.all(list.map((service) => service.supervisor.stop()));
  await stopAll(services.filter((service) => service.name === 'simulator'));
  await stopAll(services.filter((service) => service.name !== 'simulator'));
  await Promise.all(services.map((service) => service.view.close()));
  for (const handle of infra.reverse()) {
    await handle.stop().catch((error) => say(`could not stop cleanly: ${error.message}`));
  }
  process.exit(code);
}
