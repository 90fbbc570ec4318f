// `npm run infra -- up|down|status`: Kafka and Postgres for development, left running between commands.
// What `up` started is recorded in .run/infra.json so that `down` stops only that.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureKafka, kafkaAnswers } from './infra/kafka.mjs';
import { ensurePostgres, postgresAnswers, stopPostgres } from './infra/postgres.mjs';
import { RUN_DIR, isAlive, maskUrl, say, stopPid } from './infra/util.mjs';

const STATE = path.join(RUN_DIR, 'infra.json');
const USAGE = 'usage: npm run infra -- up|down|status';

const commands = { up, down, status };
const command = commands[process.argv[2]];
if (!command) {
  console.error(USAGE);
  process.exit(2);
}
try {
  await command();
} catch (error) {
  say(error.message);
  process.exit(1);
}

async function up() {
  const previous = readState();
  const kafka = (await stillOurs(previous.kafka)) ?? (await startKafka());
  const postgres = (await stillOurs(previous.postgres)) ?? (await startPostgres());
  mkdirSync(RUN_DIR, { recursive: true });
  writeFileSync(STATE, `${JSON.stringify({ kafka, postgres }, null, 2)}\n`, { mode: 0o600 });
  printExports({ kafka, postgres });
}

async function down() {
  const { kafka, postgres } = readState();
  if (kafka?.started) {
    const stopped = await stopPid(kafka.pid, { mustContain: 'kafka.Kafka', name: 'Kafka' });
    say(stopped ? `stopped Kafka (pid ${kafka.pid})` : 'Kafka was no longer running');
  }
  if (postgres?.started) {
    const stopped = await stopPostgres(postgres);
    say(stopped ? `stopped Postgres (${postgres.dataDir})` : 'Postgres was no longer running');
  }
  for (const [name, entry] of Object.entries({ Kafka: kafka, Postgres: postgres })) {
    if (entry && !entry.started) say(`${name} at ${entry.address} was not started by infra up; left running`);
  }
  rmSync(STATE, { force: true });
}

async function status() {
  const { kafka, postgres } = readState();
  if (!kafka && !postgres) say('nothing recorded: `npm run infra -- up` starts Kafka and Postgres');
  if (kafka) {
    const answers = await kafkaAnswers(kafka.brokers);
    say(`Kafka    ${kafka.address} ${describe(kafka, answers)}`);
  }
  if (postgres) {
    const answers = await postgresAnswers(postgres.url);
    say(`Postgres ${postgres.address} ${describe(postgres, answers)}`);
  }
  if (kafka && postgres) printExports({ kafka, postgres });
}

async function startKafka() {
  const kafka = await ensureKafka({ detached: true });
  return { brokers: kafka.brokers, address: kafka.brokers.join(','), started: kafka.started, pid: kafka.pid };
}

async function startPostgres() {
  const postgres = await ensurePostgres();
  const { url, started, binDir, dataDir } = postgres;
  return { url, address: maskUrl(url), started, binDir, dataDir };
}

/** A recorded server that `up` started earlier and that still answers is kept, so `down` can still stop it. */
async function stillOurs(entry) {
  if (!entry?.started) return undefined;
  const answers = entry.brokers
    ? isAlive(entry.pid) && (await kafkaAnswers(entry.brokers))
    : await postgresAnswers(entry.url);
  if (!answers) return undefined;
  say(`${entry.address} is up (started earlier by infra up)`);
  return entry;
}

function describe(entry, answers) {
  const origin = entry.started ? 'started by infra up' : 'found running, not ours';
  return `(${origin}) ${answers ? 'answers' : 'DOES NOT ANSWER'}`;
}

/** `eval "$(npm run -s infra -- up)"` exports them into a shell; progress lines went to stderr. */
function printExports({ kafka, postgres }) {
  console.log(`export KAFKA_BROKERS=${kafka.brokers.join(',')}`);
  // A URL with a password came from the user's own DATABASE_URL: it is not echoed back.
  if (new URL(postgres.url).password) console.log(`# DATABASE_URL: yours (${maskUrl(postgres.url)})`);
  else console.log(`export DATABASE_URL=${postgres.url}`);
}

function readState() {
  return existsSync(STATE) ? JSON.parse(readFileSync(STATE, 'utf8')) : {};
}
