// Jest globalSetup of the `integration` project: finds or starts the real Kafka and Postgres the specs talk
// to, and hands them to the workers through the environment (they inherit this process's env).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureKafka, findKafka } from '../scripts/infra/kafka.mjs';
import { ensurePostgres } from '../scripts/infra/postgres.mjs';
import { LOG_DIR, RUN_DIR, freePort, isAlive, say } from '../scripts/infra/util.mjs';

const TEST_BROKER_PREFIX = 'kafka-test-';

export default async function globalSetup() {
  // `r` + 6 hex: short enough for topic and schema names, and the key teardown cleans up by.
  const runId = `r${randomBytes(3).toString('hex')}`;
  removeDeadTestBrokers();
  const started = [];
  try {
    const postgres = await ensurePostgres();
    started.push(postgres);
    const kafka = await ensureTestKafka(runId);
    started.push(kafka);
    process.env.KAFKA_BROKERS = kafka.brokers.join(',');
    process.env.DATABASE_URL = postgres.url;
    process.env.IOC_TEST_RUN_ID = runId;
    globalThis.__iocTestInfra = { runId, kafka, postgres };
  } catch (error) {
    for (const handle of started.reverse()) await handle.stop();
    throw error;
  }
}

/**
 * Reuses a broker that is up (KAFKA_BROKERS or the default port) and shares it through unique topic names.
 * Otherwise starts a throw-away one on free ports with a fresh data dir that teardown deletes, so no run
 * ever sees another run's topics, offsets or transactional state.
 */
async function ensureTestKafka(runId) {
  const found = await findKafka();
  if (found) return { brokers: found, started: false, home: undefined, stop: async () => undefined };
  const home = path.join(RUN_DIR, `${TEST_BROKER_PREFIX}${runId}`);
  const logFile = path.join(LOG_DIR, 'kafka-test.log');
  mkdirSync(LOG_DIR, { recursive: true });
  writeFileSync(logFile, '');
  const kafka = await ensureKafka({
    dataDir: path.join(home, 'data'),
    port: await freePort(),
    controllerPort: await freePort(),
    logFile,
  });
  return {
    ...kafka,
    home,
    stop: async () => {
      await kafka.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A run killed before its teardown leaves its broker dir behind; delete those whose broker is gone. */
function removeDeadTestBrokers() {
  if (!existsSync(RUN_DIR)) return;
  for (const entry of readdirSync(RUN_DIR)) {
    if (!entry.startsWith(TEST_BROKER_PREFIX)) continue;
    const home = path.join(RUN_DIR, entry);
    const pidFile = path.join(home, 'kafka.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : NaN;
    if (Number.isInteger(pid) && isAlive(pid)) continue;
    say(`removing ${entry} left by an interrupted test run`);
    rmSync(home, { recursive: true, force: true });
  }
}
