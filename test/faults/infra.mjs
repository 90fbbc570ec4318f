// The fault suite's own Kafka broker and Postgres (docs/architecture.md, "Faults"): started on free ports by its
// Jest globalSetup, with their data under .run/faults-infra-<runId>/, so that the suite may kill and start them
// again under load without touching the shared ones; its globalTeardown stops whichever runs and deletes the data.
// The spec (a CommonJS Jest worker) drives them through this file as a command:
//   node test/faults/infra.mjs kill-kafka | start-kafka | crash-postgres | start-postgres
// reading what globalSetup started from IOC_FAULTS_INFRA. Each command prints one JSON line.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafka } from '../../scripts/infra/kafka.mjs';
import { findDebianBinaries, startPostgres, stopPostgres } from '../../scripts/infra/postgres.mjs';
import { RUN_DIR, commandLineOf, freePort, isAlive, say, stopPid } from '../../scripts/infra/util.mjs';

const PREFIX = 'faults-infra-';
const KAFKA_MAIN = 'kafka.Kafka';

/** Starts a broker and a Postgres of the suite's own and hands them to the workers through the environment. */
export async function setUpFaultInfra() {
  // `r` + 6 hex, as test/global-setup.mjs makes it: topic, group and schema names carry it.
  const runId = `r${randomBytes(3).toString('hex')}`;
  await removeDeadFaultInfra();
  const home = path.join(RUN_DIR, `${PREFIX}${runId}`);
  // Kept after the run beside the services' logs (.run/faults/<suffix>/), unlike the data.
  const logs = path.join(RUN_DIR, 'faults', `${runId}-infra`);
  // As root, Postgres runs as the `postgres` user, who must be able to traverse to its data dir.
  for (const dir of [home, logs]) {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
  }
  const infra = {
    home,
    kafka: {
      dataDir: path.join(home, 'kafka', 'data'),
      port: await freePort(),
      controllerPort: await freePort(),
      logFile: path.join(logs, 'kafka.log'),
    },
    postgres: {
      dataDir: path.join(home, 'postgres', 'data'),
      port: await freePort(),
      logFile: path.join(logs, 'postgres.log'),
    },
  };
  try {
    const [kafka, postgres] = await Promise.all([startKafka(infra.kafka), startPostgres(infra.postgres)]);
    infra.postgres.binDir = postgres.binDir;
    process.env.KAFKA_BROKERS = kafka.brokers.join(',');
    process.env.DATABASE_URL = postgres.url;
    process.env.IOC_TEST_RUN_ID = runId;
    process.env.IOC_FAULTS_INFRA = JSON.stringify(infra);
    globalThis.__iocFaultInfra = infra;
  } catch (error) {
    await stopFaultInfra(infra);
    throw error;
  }
}

export async function tearDownFaultInfra() {
  const infra = globalThis.__iocFaultInfra;
  if (!infra) return;
  delete globalThis.__iocFaultInfra;
  await stopFaultInfra(infra);
}

/** Stops the broker (the one started last on the data dir: the spec may have started it again) and Postgres. */
async function stopFaultInfra(infra) {
  const pid = kafkaPid(infra);
  if (pid !== undefined) await stopPid(pid, { mustContain: KAFKA_MAIN, name: 'fault suite Kafka' });
  const postgres = { binDir: infra.postgres.binDir ?? findDebianBinaries(), dataDir: infra.postgres.dataDir };
  await stopPostgres(postgres).catch((error) => say(`fault suite Postgres: ${error.message}`));
  rmSync(infra.home, { recursive: true, force: true });
}

/** A run killed before its teardown leaves its data (and maybe a Postgres) behind: removed once its broker is gone. */
async function removeDeadFaultInfra() {
  if (!existsSync(RUN_DIR)) return;
  for (const entry of readdirSync(RUN_DIR)) {
    if (!entry.startsWith(PREFIX)) continue;
    const home = path.join(RUN_DIR, entry);
    const pid = kafkaPid({ kafka: { dataDir: path.join(home, 'kafka', 'data') } });
    if (pid !== undefined && isAlive(pid)) continue;
    say(`removing ${entry} left by an interrupted fault suite run`);
    await stopFaultInfra({ home, kafka: {}, postgres: { dataDir: path.join(home, 'postgres', 'data') } });
  }
}

/** The pid startKafka wrote beside the data dir, if that process is still the broker. */
function kafkaPid(infra) {
  if (!infra.kafka.dataDir) return undefined;
  const pidFile = path.join(path.dirname(infra.kafka.dataDir), 'kafka.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : NaN;
  return Number.isInteger(pid) && commandLineOf(pid).includes(KAFKA_MAIN) ? pid : undefined;
}

/** The commands the spec runs while the services are under load; each resolves with what it did. */
const commands = {
  /** SIGKILL: the broker gets no chance to flush or close anything; its next start recovers its logs. */
  async 'kill-kafka'(infra) {
    const pid = kafkaPid(infra);
    if (pid === undefined) throw new Error('the fault suite broker is not running');
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
    return { pid };
  },
  /** On the same ports and data dir; detached, so that it outlives this command (teardown stops it). */
  async 'start-kafka'(infra) {
    const kafka = await startKafka({ ...infra.kafka, detached: true });
    return { pid: kafka.pid };
  },
  /** `pg_ctl stop -m immediate`: every server process ends at once, no checkpoint; the next start replays WAL. */
  async 'crash-postgres'(infra) {
    await stopPostgres(infra.postgres, { mode: 'immediate' });
    return {};
  },
  async 'start-postgres'(infra) {
    await startPostgres(infra.postgres);
    return {};
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = commands[process.argv[2]];
  if (!command || !process.env.IOC_FAULTS_INFRA) {
    say(`usage (with IOC_FAULTS_INFRA set): node test/faults/infra.mjs ${Object.keys(commands).join('|')}`);
    process.exit(2);
  }
  try {
    const started = Date.now();
    const result = await command(JSON.parse(process.env.IOC_FAULTS_INFRA));
    process.stdout.write(`${JSON.stringify({ ...result, ms: Date.now() - started })}\n`);
    process.exit(0);
  } catch (error) {
    say(error.message);
    process.exit(1);
  }
}
