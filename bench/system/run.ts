/**
 * The system figure: every service started as a real process (scripts/start.mjs, as `npm start -- --demo` runs
 * them, through test/support's ServiceProcesses), the simulator's CLI (`npm run simulate`) driving them through
 * their public interfaces at increasing speeds, and a wall client (socket.io-client on the gateway's `/live`,
 * subscribed to every stream as the operations wall is) timing what it is pushed. At each speed, over a window of
 * BENCH_STEP_SECONDS after a warm-up:
 *   - report → wall: from a report's `report.submitted` event time (stamped by the reports service when it accepts
 *     the submission) to its receipt by the wall client; the HTTP request before it from reports' own histogram;
 *   - detection → wall: from a camera detection's event time (stamped by the simulator when it queues it) to the
 *     receipt of the incident change it caused: the `incident.opened` of a new camera incident, whose event time is
 *     its first detection's, or an `incident.updated` intake's consumer sent as it merged detections, whose event
 *     time is the latest one's (`lastSeenAt`; see pathOf); besides the simulator's, probe detections this
 *     benchmark publishes a few times a second (see Prober), since the simulator's own make few such changes;
 *   - where that time goes: each event's Kafka record timestamp (read by a consumer of the bench) splits it into
 *     event time → on Kafka (outbox, relay; for a detection also the simulator's send, intake's consumer and
 *     correlation) and on Kafka → wall (the gateway's read, fold and push interval, the socket);
 *   - the rate offered: records reaching the inbound topics (integrator events, over Kafka or intake's HTTP
 *     ingest) and reports submitted, per second;
 *   - the backlog: the lag of every consumer group of the services plus the rows waiting in their outboxes,
 *     sampled every 2 s;
 *   - CPU per process from /proc/<pid>/stat: each service, the simulator, this process, the services' Postgres
 *     backends (found by their client ports), all of Postgres and the Kafka broker (shared with other work).
 * A speed is sustained when both p99 are under 1 s and the backlog does not grow; after the first speed that is
 * not, one step between it and the last sustained one (their geometric mean) ends the run. The figures are
 * absolute: no bare counterpart does the whole path (the gateway section's bare Socket.IO server and the reports
 * section's bare endpoint are the baselines of its parts).
 * Loopback only, bounded; drops its topics and schemas; writes its section of docs/bench.md.
 * Env: BENCH_SPEEDS (simulated seconds per second, ascending: 300,900,2700,8100), BENCH_STEP_SECONDS (60),
 * BENCH_WARMUP_SECONDS (5), BENCH_SETTLE_SECONDS (60), BENCH_SEED (7), BENCH_START_TIME (08:00, the simulated
 * day's start), BENCH_LOG_LEVEL (warn: the services' LOG_LEVEL), BENCH_QUICK (1: speeds 300 and 1800 for 8 s
 * each, no step between; with the services' start, under 2 minutes),
 * KAFKA_BROKERS, DATABASE_URL, CITY_DATA_DIR (data/cities/hai-phong).
 * Run: `npm run bench:system` (about 6 minutes with 4 steps; BENCH_QUICK=1 under 2); the services' logs and
 * start.mjs's output go to .run/bench/system/<suffix>/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import {
  createEvent,
  decodeKafkaMessage,
  type DetectionClass,
  EventTypes,
  LIVE_NAMESPACE,
  type LiveClientEvents,
  LiveEvents,
  type LiveServerEvents,
  TOPIC_CATALOG,
  Topics,
} from '@ioc/contracts';
import { createKafka } from '@ioc/messaging';
import { loadCityData } from '@ioc/reference-data';
import { apiKeyCli, type ServiceName, ServiceProcesses, SERVICE_NAMES, ServiceWorld } from '@ioc/testing';
import { Client, escapeIdentifier } from 'pg';
import { io, type Socket } from 'socket.io-client';
import { assertLoopback, BENCH_BROKERS, BENCH_DATABASE_URL, writeBenchSection } from '../support';

const QUICK = process.env.BENCH_QUICK === '1';
const SPEEDS = (process.env.BENCH_SPEEDS ?? (QUICK ? '300,1800' : '300,900,2700,8100'))
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? (QUICK ? 8 : 60));
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? (QUICK ? 2 : 5));
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? (QUICK ? 20 : 60));
const SEED = process.env.BENCH_SEED ?? '7';
const START_TIME = process.env.BENCH_START_TIME ?? '08:00';
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const ROOT = path.resolve(__dirname, '../..');
const CITY_DATA_DIR = path.resolve(process.env.CITY_DATA_DIR ?? path.join(ROOT, 'data/cities/hai-phong'));
const TARGET = { p99Ms: 1_000 };
const SAMPLE_MS = 2_000;
/** How long after a window the wall client may still receive what was sent in it. */
const GRACE_MS = 10_000;
const CLK_TCK = 100;
/** Where integrators publish (directly or through intake's HTTP ingest): the load offered. */
const INBOUND = TOPIC_CATALOG.filter((spec) => spec.producers.includes('integrator')).map(
  (spec) => spec.name,
);
/** The services with a database schema and an outbox. */
const WITH_OUTBOX: ServiceName[] = ['reports', 'intake', 'kpi'];

// ------------------------------------------------------------------------------------------- what /proc says

/** CPU seconds (user + system) `pid` has used, from /proc/<pid>/stat; NaN once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds the machine's cores spent running anything (user, nice, system, irq, softirq), from /proc/stat. */
function machineBusySeconds(): number {
  const [, user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return (user + nice + system + irq + softirq) / CLK_TCK;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

const allPids = () =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);

/** The socket inodes `pid` holds open. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match) inodes.add(match[1]);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // gone, or not ours to read
  }
  return inodes;
}

interface TcpSocket {
  localPort: number;
  remotePort: number;
  listening: boolean;
  inode: string;
}

/** The machine's TCP sockets (IPv4 and IPv6), from /proc/net/tcp*. */
function tcpSockets(): TcpSocket[] {
  const port = (address: string) => parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => {
    try {
      return readFileSync(file, 'utf8')
        .split('\n')
        .slice(1)
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const fields = line.trim().split(/\s+/);
          return {
            localPort: port(fields[1]),
            remotePort: port(fields[2]),
            listening: fields[3] === '0A',
            inode: fields[9],
          };
        });
    } catch {
      return [];
    }
  });
}

/** The process listening on `port` on this machine, if /proc shows it. */
function listenerOf(port: number): number | undefined {
  const inodes = new Set(
    tcpSockets()
      .filter((socket) => socket.listening && socket.localPort === port)
      .map((socket) => socket.inode),
  );
  if (inodes.size === 0) return undefined;
  return allPids().find((pid) => [...socketInodes(pid)].some((inode) => inodes.has(inode)));
}

/** The local ports of `pids`' connections to `remotePort`: a Postgres backend's `client_port`. */
function clientPortsOf(pids: readonly number[], remotePort: number): number[] {
  const ours = new Set(pids.flatMap((pid) => [...socketInodes(pid)]));
  return tcpSockets()
    .filter((socket) => socket.remotePort === remotePort && ours.has(socket.inode))
    .map((socket) => socket.localPort);
}

// ---------------------------------------------------------------------------------------------- measuring

/** What the wall client keeps of a change it was pushed. */
interface Receipt {
  path: PathName;
  /** A probe detection's incident rather than one of the simulator's. */
  probe: boolean;
  id: string;
  /** Event time, ms since the epoch. */
  time: number;
  /** When the wall client received it. */
  at: number;
}

/**
 * Probe detections, published by this benchmark as the camera AI vendor publishes (onto the detections topic) so
 * that detection → wall has samples at every speed: the simulator's situations open an incident per camera and
 * class at most once per correlation window, and intake withholds most updates. Of classes the situations
 * (flooding, congestion, accident) never use, so a probe's incident is its own, at 0.95 confidence.
 */
const PROBE_CLASSES: readonly DetectionClass[] = [
  'wrong-way',
  'illegal-parking',
  'sidewalk-encroachment',
  'other',
];
/**
 * Each probe key (camera, class) comes round once per this: past intake's INTAKE_INCIDENT_UPDATE_INTERVAL (30 s
 * by default), so that each probe's change (the incident's `opened`, then `updated`) is sent at once.
 */
const PROBE_KEY_INTERVAL_MS = 35_000;

/** Sends probe detections in turn over every key while started. */
class Prober {
  sent = 0;
  private timer?: NodeJS.Timeout;
  private turn = 0;
  private readonly keys: { cameraId: string; class: DetectionClass }[];

  constructor(
    private readonly world: ServiceWorld,
    cameras: readonly string[],
  ) {
    this.keys = PROBE_CLASSES.flatMap((cls) => cameras.map((cameraId) => ({ cameraId, class: cls })));
  }

  /** Probes per second. */
  get rate(): number {
    return (this.keys.length * 1000) / PROBE_KEY_INTERVAL_MS;
  }

  start(): void {
    this.timer ??= setInterval(() => {
      const { cameraId, class: cls } = this.keys[this.turn++ % this.keys.length];
      const event = createEvent(EventTypes.cameraDetection, {
        source: '/ioc/bench/probe',
        subject: cameraId,
        data: { cameraId, class: cls, confidence: 0.95, observedAt: new Date().toISOString() },
      });
      this.sent++;
      this.world.publish(Topics.cameraDetections, [event]).catch(() => undefined);
    }, PROBE_KEY_INTERVAL_MS / this.keys.length);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

type PathName = 'report' | 'detection';
const PATHS: readonly PathName[] = ['report', 'detection'];

/**
 * Which measured path a change is the end of, if any: a report's `report.submitted`; a camera incident's
 * `incident.opened` (its event time is its first detection's) or an `incident.updated` intake's consumer sent as
 * it merged a detection (its event time is that detection's, `lastSeenAt`; the sweeper's rate-limited updates are
 * stamped with their own time instead, and are not timed).
 */
function pathOf(event: { type: string; time?: string; data?: unknown }): PathName | undefined {
  if (event.type === EventTypes.reportSubmitted) return 'report';
  const data = event.data as { source?: string; lastSeenAt?: string } | undefined;
  if (data?.source !== 'camera') return undefined;
  if (event.type === EventTypes.incidentOpened) return 'detection';
  if (event.type === EventTypes.incidentUpdated && event.time === data.lastSeenAt) return 'detection';
  return undefined;
}

/** A wall client of the live push (libs/contracts/src/live/live.contract.ts), subscribed to every stream. */
class WallClient {
  readonly receipts = new Map<string, Receipt>();
  changes = 0;
  readonly resyncs: string[] = [];
  private socket?: Socket<LiveServerEvents, LiveClientEvents>;

  async connect(url: string, token: string): Promise<void> {
    const socket = io(`${url}${LIVE_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    }) as Socket<LiveServerEvents, LiveClientEvents>;
    socket.on(LiveEvents.events, (message) => {
      const at = Date.now();
      this.changes += message.changes.length;
      for (const { event } of message.changes) {
        const path = pathOf(event);
        if (path === undefined) continue;
        const probe = PROBE_CLASSES.includes(
          (event.data as { class?: DetectionClass }).class as DetectionClass,
        );
        this.receipts.set(event.id, { path, probe, id: event.id, time: Date.parse(event.time), at });
      }
    });
    socket.on(LiveEvents.resync, ({ reason }) => this.resyncs.push(reason));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    this.socket = socket;
    const ack = await socket.timeout(60_000).emitWithAck(LiveEvents.subscribe, {});
    if (!ack.ok) throw new Error(`the gateway refused the wall client: ${ack.error.code}`);
  }

  close(): void {
    this.socket?.close();
  }
}

/** The HTTP request durations a service's /metrics holds for one route: cumulative counts by upper bound (s). */
async function httpBuckets(url: string, method: string, route: string): Promise<Map<number, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('http_request_duration_seconds_bucket{')) continue;
    const labels = line.slice(line.indexOf('{') + 1, line.indexOf('}'));
    if (!labels.includes(`method="${method}"`) || !labels.includes(`route="${route}"`)) continue;
    const le = /le="([^"]+)"/.exec(labels)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return buckets;
}

/** The bucket bound (ms) under which 99% of the requests between two readings ended, and their count. */
function bucketP99(
  before: Map<number, number>,
  after: Map<number, number>,
): { p99: number; n: number } | undefined {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const count = (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
  if (count <= 0) return undefined;
  for (const bound of bounds)
    if ((after.get(bound) ?? 0) - (before.get(bound) ?? 0) >= 0.99 * count)
      return { p99: bound * 1000, n: count };
  return undefined;
}

interface Percentiles {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

function percentiles(values: readonly number[]): Percentiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
}

interface PathFigures {
  total?: Percentiles;
  /** Of `total`, changes of probe detections. */
  probes: number;
  toKafka?: Percentiles;
  fromKafka?: Percentiles;
  /** Events of the window on Kafka that the wall client never received. */
  missing: number;
}

interface Step {
  speed: number;
  seconds: number;
  eventsPerSecond: number;
  reportsPerSecond: number;
  paths: Record<PathName, PathFigures>;
  http: { reports?: { p99: number; n: number }; ingest?: { p99: number; n: number } };
  backlog: { samples: { t: number; backlog: number }[]; end: number; max: number; bounded: boolean };
  /** Consumer groups (without the suffix) and outboxes holding a backlog at the end of the window. */
  behind: string[];
  /** The simulator: how far behind its schedule at the end of the window, requests failed or refused. */
  simulated: { lagSeconds: number; failed: number; refused: number };
  /** Cores used over the window, by process. */
  cores: Record<string, number | undefined>;
  load: number;
  resyncs: number;
  sustained: boolean;
  settled: boolean;
}

// -------------------------------------------------------------------------------------------------- the run

async function main(): Promise<void> {
  assertLoopback();
  // test/support finds Kafka and Postgres through these, as the services started by start.mjs do.
  process.env.KAFKA_BROKERS = BENCH_BROKERS.join(',');
  process.env.DATABASE_URL = BENCH_DATABASE_URL;
  process.env.IOC_TEST_RUN_ID ??= 'bench';
  const loadBefore = loadavg()[0];
  const world = new ServiceWorld();
  await world.setUp();
  const logDir = path.join(ROOT, '.run', 'bench', 'system', world.suffix);
  const kafka = createKafka({ clientId: 'bench-system', brokers: BENCH_BROKERS, logLevel: 'nothing' });
  const admin = kafka.admin();
  const pg = new Client({ connectionString: BENCH_DATABASE_URL, application_name: 'bench-system' });
  const wall = new WallClient();
  let services: ServiceProcesses | undefined;
  let simulator: ChildProcess | undefined;
  // Ctrl-C reaches start.mjs and the simulator too (one process group), which stop themselves; the world goes.
  const onSignal = () => {
    console.error('interrupted: stopping the services and dropping their topics and schemas …');
    void (services?.stop() ?? Promise.resolve())
      .then(() => world.tearDown())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  const onKafka = new Map<string, { path: PathName; time: number; timestamp: number }>();
  // Not `<group>.<suffix>`: the services' groups are the backlog; this one is deleted at the end.
  const readerGroup = `bench-system-reader-${world.suffix}`;
  const reader = kafka.consumer({ groupId: readerGroup, maxWaitTimeInMs: 50 });
  try {
    await admin.connect();
    await pg.connect();
    console.log(`starting the services (logs in ${path.relative(ROOT, logDir)}) …`);
    const startedAt = performance.now();
    services = await ServiceProcesses.start(world, {
      logDir,
      env: { CITY_DATA_DIR, SIMULATOR_ENABLED: 'false', LOG_LEVEL },
    });
    const startSeconds = (performance.now() - startedAt) / 1000;
    const running = services;
    const keyOf = async (service: ServiceName, scopes: string[]) => {
      const result = await apiKeyCli(
        ['--service', service, '--integrator', 'bench-simulator', ...scopes],
        world.schemaOf(service),
      );
      if (result.exitCode !== 0) throw new Error(`no ${service} API key: ${result.stderr}`);
      return result.stdout.trim().split('\n').pop() ?? '';
    };
    const simulatorEnv = {
      ...process.env,
      IOC_TOPIC_SUFFIX: world.suffix,
      AUTH_DEV_KEYS_DIR: world.devKeysDir,
      CITY_DATA_DIR,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      SIMULATOR_REPORTS_URL: running.url('reports'),
      SIMULATOR_INTAKE_URL: running.url('intake'),
      SIMULATOR_INTAKE_API_KEY: await keyOf('intake', ['--scope', 'ioc.*']),
      SIMULATOR_OPEN311_API_KEY: await keyOf('reports', []),
    };

    await reader.connect();
    await reader.subscribe({
      topics: [world.topic(Topics.reportsEvents), world.topic(Topics.incidentsEvents)],
      fromBeginning: true,
    });
    await reader.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const decoded = decodeKafkaMessage(message);
          const path = decoded.ok ? pathOf(decoded.event) : undefined;
          if (!decoded.ok || path === undefined) continue;
          onKafka.set(decoded.event.id, {
            path,
            time: Date.parse(decoded.event.time ?? ''),
            timestamp: Number(message.timestamp),
          });
        }
      },
    });
    await wall.connect(
      running.url('gateway'),
      await world.token({ subject: 'bench-wall', roles: ['operator'] }),
    );
    const prober = new Prober(
      world,
      (await loadCityData(CITY_DATA_DIR)).cameras.map((camera) => camera.id),
    );

    const inboundOffset = async () => {
      let total = 0;
      for (const base of INBOUND)
        for (const { high } of await admin.fetchTopicOffsets(world.topic(base))) total += Number(high);
      return total;
    };
    const groups = async () =>
      (await admin.listGroups()).groups
        .map((group) => group.groupId)
        .filter((groupId) => groupId.endsWith(`.${world.suffix}`));
    /** Per consumer group of the services and per outbox, what waits. */
    const backlogs = async (): Promise<Map<string, number>> => {
      const result = new Map<string, number>();
      const ends = new Map<string, Map<number, bigint>>();
      for (const groupId of await groups()) {
        let lag = 0;
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
          if (!ends.has(topic))
            ends.set(
              topic,
              new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)])),
            );
          for (const { partition, offset } of partitions) {
            const end = ends.get(topic)?.get(partition) ?? 0n;
            lag += Number(end - (offset === '-1' ? 0n : BigInt(offset)));
          }
        }
        result.set(groupId.replace(`.${world.suffix}`, ''), lag);
      }
      for (const service of WITH_OUTBOX) {
        const { rows } = await pg.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${escapeIdentifier(world.schemaOf(service))}.outbox`,
        );
        result.set(`${service} outbox`, Number(rows[0].n));
      }
      return result;
    };
    const sum = (map: Map<string, number>) => [...map.values()].reduce((total, n) => total + n, 0);
    /** Waits (at most SETTLE_SECONDS) until nothing waits anywhere, twice in a row. */
    const settle = async (): Promise<boolean> => {
      const deadline = Date.now() + SETTLE_SECONDS * 1000;
      let before = false;
      while (Date.now() < deadline) {
        const now = sum(await backlogs()) === 0;
        if (now && before) return true;
        before = now;
        await sleep(1_000);
      }
      return false;
    };

    /** The processes measured, by label, each with its pids now. */
    const pgPort = Number(new URL(BENCH_DATABASE_URL).port || 5432);
    const kafkaPort = Number(BENCH_BROKERS[0].slice(BENCH_BROKERS[0].lastIndexOf(':') + 1));
    const postmaster = listenerOf(pgPort);
    const broker = listenerOf(kafkaPort);
    const processes = async (): Promise<Map<string, number[]>> => {
      const pids = new Map<string, number[]>();
      const servicePids: number[] = [];
      for (const name of SERVICE_NAMES) {
        const pid = running.pidOf(name);
        if (pid === undefined) continue;
        servicePids.push(pid);
        pids.set(name === 'simulator' ? 'simulator app (idle)' : name, [pid]);
      }
      if (simulator?.pid !== undefined) pids.set('simulator (`npm run simulate`)', [simulator.pid]);
      pids.set('this benchmark (wall client, Kafka reader, probes)', [process.pid]);
      const ports = clientPortsOf(servicePids, pgPort);
      const { rows } = await pg.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1::int[])',
        [ports],
      );
      pids.set(
        "Postgres: the services' backends",
        rows.map((row) => row.pid),
      );
      if (postmaster !== undefined)
        pids.set('Postgres: every process (other work too)', [
          postmaster,
          ...allPids().filter((pid) => parentOf(pid) === postmaster),
        ]);
      if (broker !== undefined) pids.set('Kafka broker (other work too)', [broker]);
      return pids;
    };
    const cpuOf = (pids: Map<string, number[]>) =>
      new Map([...pids].map(([label, list]) => [label, new Map(list.map((pid) => [pid, cpuSeconds(pid)]))]));

    const steps: Step[] = [];
    const plan = [...SPEEDS];
    let refined = QUICK;
    for (let i = 0; i < plan.length; i++) {
      const speed = plan[i];
      const settled = await settle();
      console.log(`speed ${speed}: simulating …`);
      const offsetAtStart = await inboundOffset();
      simulator = spawn(
        process.execPath,
        [
          path.join(ROOT, 'dist/apps/simulator/src/cli/simulate.js'),
          '--speed',
          String(speed),
          '--seed',
          SEED,
          '--start',
          START_TIME,
          '--duration',
          `${Math.ceil((speed * (WARMUP_SECONDS + STEP_SECONDS + 120)) / 60)}m`,
          '--no-keys',
        ],
        { cwd: ROOT, env: simulatorEnv, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      // Its progress, a line every 10 s and one at the end: how far behind its schedule it is, what failed.
      const progress: string[] = [];
      let partial = '';
      simulator.stdout?.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        progress.push(...lines.filter((line) => line.startsWith('[')));
      });
      const exited = new Promise<void>((resolve) => simulator?.once('exit', () => resolve()));
      const deadline = Date.now() + 60_000;
      while ((await inboundOffset()) === offsetAtStart) {
        if (Date.now() > deadline) throw new Error('the simulator sent nothing within 60 s');
        await sleep(200);
      }
      prober.start();
      await sleep(WARMUP_SECONDS * 1000);

      const pids = await processes();
      const httpBefore = {
        reports: await httpBuckets(running.url('reports'), 'POST', '/reports'),
        ingest: await httpBuckets(running.url('intake'), 'POST', '/ingest/events'),
      };
      const resyncsBefore = wall.resyncs.length;
      const offsetBefore = await inboundOffset();
      const offsetBeforeAt = Date.now();
      const cpuBefore = cpuOf(pids);
      const machineBefore = machineBusySeconds();
      const t0 = Date.now();
      const samples: { t: number; backlog: number }[] = [];
      let last = new Map<string, number>();
      while (Date.now() < t0 + STEP_SECONDS * 1000) {
        await sleep(Math.min(SAMPLE_MS, t0 + STEP_SECONDS * 1000 - Date.now()));
        last = await backlogs();
        samples.push({ t: (Date.now() - t0) / 1000, backlog: sum(last) });
      }
      const t1 = Date.now();
      const seconds = (t1 - t0) / 1000;
      const machine = machineBusySeconds() - machineBefore;
      const cores: Record<string, number | undefined> = {};
      for (const [label, before] of cpuBefore) {
        let used = 0;
        // A process gone meanwhile (a CLI's connection) counts for nothing rather than for less than nothing.
        for (const [pid, cpu] of before) used += Math.max(0, cpuSeconds(pid) - cpu || 0);
        cores[label] = before.size === 0 ? undefined : used / seconds;
      }
      cores['machine: every core busy (other work too)'] = machine / seconds;
      const offsetAfter = await inboundOffset();
      const offsetSeconds = (Date.now() - offsetBeforeAt) / 1000;
      const http = {
        reports: bucketP99(httpBefore.reports, await httpBuckets(running.url('reports'), 'POST', '/reports')),
        ingest: bucketP99(
          httpBefore.ingest,
          await httpBuckets(running.url('intake'), 'POST', '/ingest/events'),
        ),
      };
      const load = loadavg()[0];
      const lagLine = progress.at(-1);
      prober.stop();
      simulator.kill('SIGINT');
      const stopped = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
      if (!stopped) simulator.kill('SIGKILL');
      simulator = undefined;
      const counted = (word: string) =>
        [...(progress.at(-1) ?? '').matchAll(new RegExp(`${word} (\\d+)`, 'g'))].reduce(
          (total, match) => total + Number(match[1]),
          0,
        );
      const simulated = {
        lagSeconds: Number(/lag ([\d.]+) s/.exec(lagLine ?? '')?.[1] ?? Number.NaN),
        failed: counted('failed'),
        refused: counted('refused'),
      };

      // What the window sent and reached Kafka, the wall client has until GRACE_MS to receive.
      const inWindow = (time: number) => time >= t0 && time < t1;
      const graceEnd = Date.now() + GRACE_MS;
      const unreceived = () =>
        [...onKafka].filter(([id, record]) => inWindow(record.time) && !wall.receipts.has(id)).length;
      while (unreceived() > 0 && Date.now() < graceEnd) await sleep(200);
      const paths = {} as Record<PathName, PathFigures>;
      for (const name of PATHS) {
        const receipts = [...wall.receipts.values()].filter((r) => r.path === name && inWindow(r.time));
        const stamped = receipts.flatMap((r) => {
          const record = onKafka.get(r.id);
          return record === undefined ? [] : [{ ...r, timestamp: record.timestamp }];
        });
        paths[name] = {
          total: percentiles(receipts.map((r) => r.at - r.time)),
          probes: receipts.filter((r) => r.probe).length,
          toKafka: percentiles(stamped.map((r) => r.timestamp - r.time)),
          fromKafka: percentiles(stamped.map((r) => r.at - r.timestamp)),
          missing: [...onKafka].filter(
            ([id, record]) => record.path === name && inWindow(record.time) && !wall.receipts.has(id),
          ).length,
        };
      }
      const reports = [...onKafka.values()].filter(
        (record) => record.path === 'report' && inWindow(record.time),
      ).length;
      const firstHalf = samples.filter((s) => s.t <= seconds / 2).map((s) => s.backlog);
      const tail = samples.slice(-3).map((s) => s.backlog);
      const end = tail.reduce((total, n) => total + n, 0) / Math.max(1, tail.length);
      const eventsPerSecond = (offsetAfter - offsetBefore) / offsetSeconds;
      // Growing: more waits at the end than ever in the first half, by more than a second of the load.
      const bounded = end <= Math.max(eventsPerSecond, ...firstHalf, 0);
      const under = (figures: PathFigures) =>
        figures.total !== undefined && figures.total.p99 < TARGET.p99Ms && figures.missing === 0;
      const step: Step = {
        speed,
        seconds,
        eventsPerSecond,
        reportsPerSecond: reports / seconds,
        paths,
        http,
        backlog: {
          samples,
          end,
          max: Math.max(0, ...samples.map((s) => s.backlog)),
          bounded,
        },
        behind: [...last].filter(([, n]) => n > 0).map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`),
        cores,
        simulated,
        load,
        resyncs: wall.resyncs.length - resyncsBefore,
        sustained: bounded && under(paths.report) && under(paths.detection),
        settled,
      };
      steps.push(step);
      const show = (p?: Percentiles) => (p === undefined ? 'none' : `p99 ${p.p99} ms (n ${p.n})`);
      console.log(
        `speed ${speed}: ${eventsPerSecond.toFixed(0)} events/s, ${step.reportsPerSecond.toFixed(1)} reports/s; ` +
          `report → wall ${show(paths.report.total)}, detection → wall ${show(paths.detection.total)}; ` +
          `backlog end ${end.toFixed(0)} (max ${step.backlog.max}); ${step.sustained ? 'sustained' : 'NOT sustained'}`,
      );
      if (step.sustained) continue;
      // Once: the speed between the last sustained and this one (geometric mean), then stop.
      const passed = steps.filter((done) => done.sustained).at(-1);
      if (refined || passed === undefined) break;
      refined = true;
      plan.splice(i + 1, plan.length, Math.round(Math.sqrt(passed.speed * speed)));
    }
    steps.sort((a, b) => a.speed - b.speed);

    const { section, summary } = report(steps, {
      startSeconds,
      loadBefore,
      loadAfter: loadavg()[0],
      probeRate: prober.rate,
    });
    const file = await writeBenchSection('system', section, summary);
    console.log(`\n${section}\n\nwritten to ${file}`);
  } finally {
    process.off('SIGINT', onSignal);
    simulator?.kill('SIGKILL');
    wall.close();
    await reader.disconnect().catch(() => undefined);
    await services?.stop();
    await admin.deleteGroups([readerGroup]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await pg.end().catch(() => undefined);
    await world.tearDown();
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

// ------------------------------------------------------------------------------------------------ the report

const round = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (p?: Percentiles) =>
  p === undefined ? '—' : `${round(p.p50)} / ${round(p.p99)} / ${round(p.max)}`;
const withN = (p: PathFigures) =>
  p.total === undefined
    ? 'none received'
    : `${ms(p.total)} (${p.total.n}${p.probes > 0 ? `, ${p.probes} of probes` : ''}` +
      `${p.missing > 0 ? `, ${p.missing} never received` : ''})`;

function report(
  steps: readonly Step[],
  run: { startSeconds: number; loadBefore: number; loadAfter: number; probeRate: number },
): { section: string; summary: Parameters<typeof writeBenchSection>[2] } {
  const best = [...steps].reverse().find((step) => step.sustained);
  const shown = best ?? steps[0];
  const labels = [...new Set(steps.flatMap((step) => Object.keys(step.cores)))];
  const cell = (n?: number) => (n === undefined ? '—' : n.toFixed(2));
  const rows = steps.map(
    (s) =>
      `| ${s.speed} | ${round(s.eventsPerSecond)} | ${s.reportsPerSecond.toFixed(1)} | ${withN(s.paths.report)} | ` +
      `${withN(s.paths.detection)} | ${round(s.backlog.max)} / ${round(s.backlog.end)}${s.behind.length > 0 ? ` (${s.behind.join(', ')})` : ''} | ` +
      `${Number.isNaN(s.simulated.lagSeconds) ? '—' : s.simulated.lagSeconds.toFixed(1)} s, ${s.simulated.failed} / ${s.simulated.refused} | ` +
      `${s.load.toFixed(1)} | ${s.sustained ? 'yes' : '**no**'}${s.settled ? '' : ' (started unsettled)'} |`,
  );
  const stage = (label: string, report: string, detection: string) =>
    `| ${label} | ${report} | ${detection} |`;
  const http = (figure?: { p99: number; n: number }) =>
    figure === undefined ? '—' : `p99 ≤ ${round(figure.p99)} (bucket; ${figure.n} requests)`;
  const section = [
    '<!-- bench:system -->',
    '## System',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; Kafka, Postgres, the five services, the ` +
      'simulator and the wall client on the same machine (loopback), shared with other work at the time (1-minute ' +
      `load average ${run.loadBefore.toFixed(1)} before the run, ${run.loadAfter.toFixed(1)} after, each step's in the ` +
      'table), so the figures are a floor.',
    '',
    `Command: \`npm run bench:system\` (BENCH_SPEEDS=${SPEEDS.join(',')}, BENCH_STEP_SECONDS=${STEP_SECONDS} after ` +
      `BENCH_WARMUP_SECONDS=${WARMUP_SECONDS}, BENCH_SEED=${SEED}, BENCH_START_TIME=${START_TIME}, ` +
      `BENCH_LOG_LEVEL=${LOG_LEVEL}). Every service runs as its own process from dist/, started by \`npm start\`'s ` +
      `script (scripts/start.mjs --demo, its simulator app idle; ready in ${run.startSeconds.toFixed(0)} s), logging ` +
      `at ${LOG_LEVEL}. At each speed (simulated seconds per second) the simulator's CLI (\`npm run simulate\`, ` +
      `from dist/, its day starting at ${START_TIME}) drives them through their public interfaces: citizens' and ` +
      "Open311 reports and agencies' actions over REST, camera detections and heartbeats, traffic observations, " +
      "channel submissions and KPI figures over Kafka or intake's HTTP ingest. One wall client (socket.io-client on " +
      "the gateway's `/live`, subscribed to every stream as the operations wall is) times what it is pushed. The " +
      'speeds go up until one is not sustained; then one more step runs between it and the last sustained ' +
      '(their geometric mean), and the run ends.',
    '',
    "- report → wall: from `report.submitted`'s event time (the reports service accepting the submission) to its " +
      'receipt by the wall client;',
    "- detection → wall: from a camera detection's event time (the simulator queueing it) to the receipt of the " +
      "incident change it caused: a new incident's `incident.opened` (its event time is its first detection's) or " +
      "an `incident.updated` intake's consumer sent on merging detections (its event time is the latest one's); the " +
      'updates intake withholds for INTAKE_INCIDENT_UPDATE_INTERVAL and its sweeper sends later are not timed;',
    `- probes: beside the simulator, this benchmark publishes ${run.probeRate.toFixed(1)} probe detections a second onto the detections ` +
      "topic (0.95 confidence, of camera classes the simulator's situations never use, each camera and class once " +
      "per 35 s, past intake's update interval), so that detection → wall has samples at every speed: the " +
      'situations open an incident per camera and class at most once per correlation window, and intake withholds ' +
      'most updates; the n of each step says how many of its changes were probes;',
    '- events/s: records reaching the inbound topics (over Kafka or the HTTP ingest, probes included); reports/s: `report.submitted` ' +
      'per second, every channel;',
    '- simulator: how far behind its schedule it was at the end of the window (the load generator falling ' +
      'behind caps the rate offered), and its requests failed (no answer or 5xx) and refused (4xx) over the step;',
    '- backlog: the lag of every consumer group of the services plus the rows in their outboxes, sampled every 2 s; ' +
      'bounded when its mean over the last three samples is no more than a second of the load or than its most in ' +
      'the first half of the window;',
    `- sustained: both p99 under ${round(TARGET.p99Ms)} ms, every timed change received, backlog bounded.`,
    '',
    "The figures are absolute: no bare counterpart does the whole path; the gateway section's bare Socket.IO server " +
      "and the reports section's bare endpoint are the baselines of its parts.",
    '',
    '| speed | events/s | reports/s | report → wall p50 / p99 / max ms (n) | detection → wall p50 / p99 / max ms (n) | backlog most / at end | simulator lag, failed / refused | load | sustained |',
    '| --: | --: | --: | --- | --- | --- | --- | --: | --- |',
    ...rows,
    '',
    best === undefined
      ? `No speed was sustained; the figures below are those of speed ${shown.speed}.`
      : `Highest sustained: speed ${best.speed}, ${round(best.eventsPerSecond)} events/s and ` +
        `${best.reportsPerSecond.toFixed(1)} reports/s. Where the time goes at that speed (ms, p50 / p99 / max of ` +
        "each stage on its own, from each event's Kafka record timestamp):",
    '',
    '| stage | report | detection |',
    '| --- | --- | --- |',
    stage(
      "simulator → service, HTTP (the service's own histogram)",
      `\`POST /reports\` ${http(shown.http.reports)}`,
      `\`POST /ingest/events\` ${http(shown.http.ingest)} (the rest straight to Kafka)`,
    ),
    stage(
      'event time → on Kafka',
      `${ms(shown.paths.report.toKafka)} (outbox, relay)`,
      `${ms(shown.paths.detection.toKafka)} (simulator's send, intake's consumer and correlation, outbox, relay)`,
    ),
    stage(
      'on Kafka → wall',
      `${ms(shown.paths.report.fromKafka)} (gateway read, fold, push interval, socket)`,
      ms(shown.paths.detection.fromKafka),
    ),
    stage('event time → wall', ms(shown.paths.report.total), ms(shown.paths.detection.total)),
    '',
    'Cores used over each window (CPU seconds per second, from /proc/<pid>/stat; the Postgres backends are those ' +
      "connected from the services' processes):",
    '',
    `| process | ${steps.map((s) => `speed ${s.speed}`).join(' | ')} |`,
    `| --- | ${steps.map(() => '--:').join(' | ')} |`,
    ...labels.map((label) => `| ${label} | ${steps.map((s) => cell(s.cores[label])).join(' | ')} |`),
    '',
    `Wall client resyncs asked by the gateway: ${steps.reduce((n, s) => n + s.resyncs, 0)}.`,
    '<!-- /bench:system -->',
  ].join('\n');
  const summary = [
    {
      figure: 'highest rate sustained, absolute (both p99 < 1 s, bounded backlog)',
      value: best?.eventsPerSecond ?? 0,
      unit: 'events/s',
      target: `p99 < ${round(TARGET.p99Ms)} ms, bounded backlog`,
      met: best !== undefined,
    },
    { figure: 'reports at that rate', value: best?.reportsPerSecond ?? 0, unit: 'reports/s' },
    ...(['report', 'detection'] as const).map((name) => ({
      figure: `p99 ${name} → wall at ${best === undefined ? `speed ${shown.speed}` : 'that rate'}`,
      value: shown.paths[name].total?.p99 ?? Number.NaN,
      unit: 'ms',
      target: `p99 < ${round(TARGET.p99Ms)} ms`,
      met: (shown.paths[name].total?.p99 ?? Number.POSITIVE_INFINITY) < TARGET.p99Ms,
    })),
  ];
  return { section, summary };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
