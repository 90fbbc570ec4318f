// Real Apache Kafka for development and tests: the official broker artifacts from Maven Central at the version pinned
// in scripts/infra/kafka/pom.xml, run as a single KRaft node (docs/architecture.md, "Local infrastructure").
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import {
  CACHE_DIR,
  LOG_DIR,
  RUN_DIR,
  commandLineOf,
  isAlive,
  isPortOpen,
  pollUntil,
  rel,
  run,
  say,
  stopChild,
  tailFile,
} from './util.mjs';

const HERE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kafka');
const POM = path.join(HERE, 'pom.xml');
const LOG4J = path.join(HERE, 'log4j.properties');

/** The broker version, read from the pom so that it is pinned in exactly one place. */
export const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'))[1];

const DEFAULT_PORT = 9092;
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

/** True when a Kafka broker answers a metadata request at `brokers` within a couple of seconds. */
export async function kafkaAnswers(brokers) {
  const admin = new Kafka({
    clientId: 'ioc-infra-probe',
    brokers,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Finds a broker that is already up: `KAFKA_BROKERS` if it answers, else 127.0.0.1:`port`.
 * Returns its bootstrap list, or undefined. Throws when the port is taken by something that is not Kafka.
 */
export async function findKafka({ port = defaultPort() } = {}) {
  const fromEnv = process.env.KAFKA_BROKERS?.split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (fromEnv?.length) {
    if (await kafkaAnswers(fromEnv)) {
      say(`using KAFKA_BROKERS ${fromEnv.join(',')}`);
      return fromEnv;
    }
    say(`KAFKA_BROKERS=${fromEnv.join(',')} does not answer; looking for a broker on 127.0.0.1:${port}`);
  }
  const local = [`127.0.0.1:${port}`];
  if (await kafkaAnswers(local)) {
    say(`found Kafka at ${local[0]}`);
    return local;
  }
  if (await isPortOpen(port)) {
    throw new Error(
      `127.0.0.1:${port} is taken by something that is not a Kafka broker: free it, or set IOC_KAFKA_PORT`,
    );
  }
  return undefined;
}

/**
 * Uses a running broker when there is one (see {@link findKafka}); otherwise fetches Kafka once into
 * .cache/kafka/<version>/lib and starts a single KRaft node on 127.0.0.1 with its data in `dataDir`.
 * `stop()` stops only a broker this call started. `detached` lets the broker outlive this process
 * (infra up) and keeps a terminal's Ctrl-C from reaching it before the services have drained (npm start).
 */
export async function ensureKafka({
  dataDir = path.join(RUN_DIR, 'kafka', 'data'),
  port = defaultPort(),
  controllerPort = Number(process.env.IOC_KAFKA_CONTROLLER_PORT ?? port + 1),
  logFile = path.join(LOG_DIR, 'kafka.log'),
  detached = false,
} = {}) {
  const found = await findKafka({ port });
  if (found) return { brokers: found, started: false, pid: undefined, stop: async () => undefined };
  return startKafka({ dataDir, port, controllerPort, logFile, detached });
}

/**
 * Starts a broker of our own on `port` with its data in `dataDir`, whatever else answers elsewhere (the fault
 * suite owns the broker it restarts); a second start on the same data dir finds the topics, offsets and
 * transactional state of the first. Throws when the port is taken or the data dir's broker still runs.
 * `stop()` is SIGTERM, then SIGKILL after 30 s.
 */
export async function startKafka({ dataDir, port, controllerPort, logFile, detached = false }) {
  if (await isPortOpen(port)) throw new Error(`127.0.0.1:${port} is taken: the broker cannot listen there`);
  if (await isPortOpen(controllerPort)) {
    throw new Error(`controller port 127.0.0.1:${controllerPort} is taken: set IOC_KAFKA_CONTROLLER_PORT`);
  }

  const home = path.dirname(dataDir);
  const pidFile = path.join(home, 'kafka.pid');
  const previous = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : NaN;
  // Two brokers on one data dir corrupt each other's metadata log: the second must not even start.
  if (Number.isInteger(previous) && isAlive(previous) && commandLineOf(previous).includes('kafka.Kafka')) {
    throw new Error(
      `${rel(dataDir)} belongs to a broker that is still running (pid ${previous}) on another port: ` +
        'stop it (npm run infra -- down) or use its port (IOC_KAFKA_PORT)',
    );
  }
  await checkJava();
  const lib = await fetchKafka();
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(path.dirname(logFile), { recursive: true });
  const config = path.join(home, 'server.properties');
  writeFileSync(config, serverProperties({ dataDir, port, controllerPort }));
  const javaProps = [`-Dlog4j.configuration=${pathToFileURL(LOG4J).href}`, `-Dioc.kafka.log.file=${logFile}`];
  const classpath = ['-cp', path.join(lib, '*')];

  // KRaft needs its storage formatted once with a cluster id; a later start must keep that data.
  if (!existsSync(path.join(dataDir, 'meta.properties'))) {
    const tool = [...javaProps, ...classpath, 'kafka.tools.StorageTool'];
    const clusterId = (await run('java', [...tool, 'random-uuid'])).trim().split('\n').pop();
    await run('java', [...tool, 'format', '-t', clusterId, '-c', config]);
  }

  say(
    `starting Apache Kafka ${KAFKA_VERSION} on 127.0.0.1:${port} (data ${rel(dataDir)}, log ${rel(logFile)})`,
  );
  // The JVM's own stdout/stderr (startup failures before log4j is up) land in the same file.
  const out = openSync(logFile, 'a');
  const child = spawn(
    'java',
    ['-Xms256m', '-Xmx768m', '-Djava.awt.headless=true', ...javaProps, ...classpath, 'kafka.Kafka', config],
    { cwd: home, stdio: ['ignore', out, out], detached },
  );
  closeSync(out);
  if (detached) child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
  let exit;
  child.once('exit', (code, signal) => (exit = signal ?? `exit code ${code}`));

  const brokers = [`127.0.0.1:${port}`];
  const stop = () => stopChild(child, { timeoutMs: STOP_TIMEOUT_MS, name: 'Kafka' });
  try {
    await pollUntil(() => kafkaAnswers(brokers), {
      timeoutMs: READY_TIMEOUT_MS,
      what: `Kafka on ${brokers[0]}`,
      abort: () => exit && `the broker exited (${exit})`,
    });
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${logExcerpt(logFile)}`);
  }
  return { brokers, started: true, pid: child.pid, stop };
}

/** The broker's errors first (its shutdown chatter would hide them), then the end of its log. */
function logExcerpt(logFile) {
  const errors = tailFile(logFile, 2000)
    .split('\n')
    .filter((line) => / (ERROR|FATAL) /.test(line))
    .slice(-8);
  const errorPart = errors.length > 0 ? `--- errors in ${rel(logFile)} ---\n${errors.join('\n')}\n` : '';
  return `${errorPart}--- last lines of ${rel(logFile)} ---\n${tailFile(logFile, 15)}`;
}

function defaultPort() {
  return Number(process.env.IOC_KAFKA_PORT ?? DEFAULT_PORT);
}

function serverProperties({ dataDir, port, controllerPort }) {
  return `# Written by scripts/infra/kafka.mjs at every start; edit that script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${dataDir}
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Topics are provisioned from the catalog; a typo must fail instead of creating a stray topic.
auto.create.topics.enable=false
# A single-node broker has no one to wait for: consumer groups start at once (tests, dev).
group.initial.rebalance.delay.ms=0
`;
}

async function checkJava() {
  await run('java', ['-version'], {
    missingHint: 'Kafka needs Java 17 (Debian: apt-get install openjdk-17-jre-headless)',
  });
}

/**
 * The broker's runtime jars, copied from Maven Central once into .cache/kafka/<version>/lib (ignored). Two processes
 * may fetch at once (`npm run infra -- up` beside a fault suite starting its own broker): each fetches into a folder
 * of its own and renames it into place with its completion mark inside, so `lib` is either absent or whole (an
 * interrupted download leaves no broken classpath), and the first complete copy stays.
 */
async function fetchKafka() {
  const home = path.join(CACHE_DIR, 'kafka', KAFKA_VERSION);
  const lib = path.join(home, 'lib');
  const jar = `kafka_2.13-${KAFKA_VERSION}.jar`;
  const whole = (dir) => existsSync(path.join(dir, '.complete')) && existsSync(path.join(dir, jar));
  // Before the mark moved inside lib, it was beside it: such a cache is whole too.
  if (whole(lib) || (existsSync(path.join(home, '.complete')) && existsSync(path.join(lib, jar)))) return lib;

  const mvnMissing = 'fetching Kafka needs Maven 3.8+ (Debian: apt-get install maven)';
  await run('mvn', ['-v'], { missingHint: mvnMissing });
  say(`fetching Apache Kafka ${KAFKA_VERSION} from Maven Central into ${rel(lib)} (once)`);
  const staging = `${lib}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await run('mvn', [
      '-q',
      '-B',
      '-f',
      POM,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
      '-DincludeScope=runtime',
    ]);
    if (!existsSync(path.join(staging, jar))) throw new Error(`Maven finished but fetched no ${jar}`);
    writeFileSync(path.join(staging, '.complete'), `${new Date().toISOString()}\n`);
    if (whole(lib)) return lib; // another process was first
    // An incomplete lib (an interrupted fetch of an older version of this script) makes way.
    if (existsSync(lib)) rmSync(lib, { recursive: true, force: true });
    try {
      renameSync(staging, lib);
    } catch (error) {
      if (!whole(lib)) throw error;
    }
    return lib;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
