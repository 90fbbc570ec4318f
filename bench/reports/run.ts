/**
 * Reports submission latency and throughput at a fixed offered rate (issue 4: p99 under 50 ms at 300
 * submissions/s on the 2-core machine), against a bare NestJS endpoint measured in the same run:
 *   (a) bare: a Nest app with one POST route that answers `{ ok: true }`, same JSON body parser;
 *   (b) reports: the real service (validation, reference data, routing by polygon, duplicate search, one
 *       transaction with the report, its timeline and its outbox rows; the relay publishing to Kafka).
 * Open loop: request i is sent at t0 + i/rate whatever the answers do, and its latency counts from that
 * scheduled instant, so a stall shows up in the percentiles (no coordinated omission).
 * Loopback only, bounded; cleans up its topics and schema; writes its section of docs/bench.md.
 * Env: BENCH_RATE (300), BENCH_SECONDS (20), BENCH_WARMUP_SECONDS (3), KAFKA_BROKERS (127.0.0.1:9092, as `npm run infra -- up` starts it),
 * DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres), CITY_DATA_DIR (data/cities/hai-phong).
 * Run: `npm run bench:reports`.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Topics, TOPIC_CATALOG, type TopicName } from '@ioc/contracts';
import { createDataSource } from '@ioc/database';
import { createKafka, provisionTopics } from '@ioc/messaging';
import { createHttpService, loadConfig, ObservabilityModule } from '@ioc/observability';
import { type GeoPoint, loadCityData, unitsAt } from '@ioc/reference-data';
import { Body, Controller, type INestApplication, Module, Post } from '@nestjs/common';
import { AppModule, HTTP_SERVICE_OPTIONS } from '../../apps/reports/src/app.module';
import { reportsEnv } from '../../apps/reports/src/config';
import { ReferenceDataRepository } from '../../apps/reports/src/reference/reference-data.repository';
import { assertLoopback, BENCH_BROKERS, BENCH_DATABASE_URL, writeBenchSection } from '../support';
import { TypeOrmUnitOfWork } from '@ioc/database';
import { seedCityData } from '@ioc/platform';

const RATE = Number(process.env.BENCH_RATE ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const BROKERS = BENCH_BROKERS.join(',');
const DATABASE_URL = BENCH_DATABASE_URL;
const CITY_DIR = path.resolve(process.env.CITY_DATA_DIR ?? 'data/cities/hai-phong');
const TARGET = { rate: 300, p99Ms: 50 };
const MARKERS = ['<!-- bench:reports -->', '<!-- /bench:reports -->'] as const;
const TOPICS: readonly TopicName[] = [Topics.reportsEvents, Topics.reportsSubmissions, Topics.dlq];

@Controller('bare')
class BareController {
  @Post()
  accept(@Body() body: unknown): { ok: boolean } {
    return { ok: typeof body === 'object' };
  }
}

// The same shell as every service (JSON logs, metrics, the error filter), so the ratio is the service's work.
@Module({
  imports: [ObservabilityModule.forRoot({ service: 'bare', level: 'warn' })],
  controllers: [BareController],
})
class BareModule {}

interface Run {
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// The load generator runs in a worker thread (plain JavaScript, no hook needed) so that its own work never
// delays the event loop of the services it measures.
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const { port, pathname, rate, bodies } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const latencies = [];
let ok = 0;
let failed = 0;
function post(body) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}
(async () => {
  const start = performance.now();
  const inFlight = [];
  for (let i = 0; i < bodies.length; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(post(bodies[i]).then((status) => {
      latencies.push(performance.now() - due);
      if (status >= 200 && status < 300) ok += 1; else failed += 1;
    }));
  }
  await Promise.all(inFlight);
  agent.destroy();
  parentPort.postMessage({ latencies, ok, failed, seconds: (performance.now() - start) / 1000 });
})();
`;

/** Open-loop load: RATE requests a second for `seconds`, latency measured from each scheduled send time. */
async function load(port: number, pathname: string, bodies: () => string, seconds: number): Promise<Run> {
  const payloads = Array.from({ length: Math.round(RATE * seconds) }, bodies);
  const result = await new Promise<{ latencies: number[]; ok: number; failed: number; seconds: number }>(
    (resolve, reject) => {
      const worker = new Worker(LOAD_WORKER, {
        eval: true,
        workerData: { port, pathname, rate: RATE, bodies: payloads },
      });
      worker.once('message', resolve);
      worker.once('error', reject);
    },
  );
  const latencies = [...result.latencies].sort((a, b) => a - b);
  return {
    sent: payloads.length,
    ok: result.ok,
    failed: result.failed,
    seconds: result.seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}

/** Points spread over the wards in effect, so routing and duplicate search do real work. */
async function submissionBodies(): Promise<() => string> {
  const city = await loadCityData(CITY_DIR);
  const now = new Date();
  const wards = city.adminUnits.filter(
    (unit) =>
      unit.parentCode !== null &&
      unit.effectiveFrom <= now.getTime() &&
      (unit.effectiveTo === null || now.getTime() < unit.effectiveTo),
  );
  const points: GeoPoint[] = [];
  for (let attempts = 0; points.length < 2000 && attempts < 200_000; attempts += 1) {
    const [minLon, minLat, maxLon, maxLat] = wards[attempts % wards.length].geometry.bbox;
    const point = {
      lat: minLat + Math.random() * (maxLat - minLat),
      lon: minLon + Math.random() * (maxLon - minLon),
    };
    if (unitsAt(city.adminUnits, point, now).length > 1) points.push(point);
  }
  const categories = city.categories.map((category) => category.code);
  let i = 0;
  return () => {
    i += 1;
    return JSON.stringify({
      categoryCode: categories[i % categories.length],
      description: `Bench report ${i}: a problem seen on the street`,
      location: points[i % points.length],
      addressText: `${i} Bench street`,
      reporter: { name: 'Bench Reporter', phone: '0900000000' },
    });
  };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function writeSection(
  bare: Run,
  reports: Run,
  loadBefore: number,
): Promise<{ section: string; file: string }> {
  const rate = (run: Run) => run.ok / run.seconds;
  const met = reports.p99 < TARGET.p99Ms && RATE >= TARGET.rate && reports.failed === 0;
  const section = [
    MARKERS[0],
    '## Reports',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; Kafka and Postgres on the same machine ` +
      `(loopback), the machine shared with other work at the time (1-minute load average ${loadBefore.toFixed(1)} ` +
      'before the run), so the figures are a floor.',
    '',
    `Command: \`npm run bench:reports\` (BENCH_RATE=${RATE}, BENCH_SECONDS=${SECONDS}, after ` +
      `${WARMUP_SECONDS} s of warm-up at the same rate). Open loop: each request is sent on schedule and its ` +
      'latency counts from that instant. `POST /reports` (JSON, a random category at a random point in a ward: ' +
      'validation, routing by polygon, duplicate search, one transaction with the report, its timeline and its ' +
      'outbox rows, relayed to Kafka) against a bare NestJS `POST` answering `{ ok: true }`, in the same process ' +
      'setup and run. Logs at `warn` (a line per request at `info` is the log pipeline, not the service).',
    '',
    '| endpoint | offered /s | answered 2xx /s | errors | p50 | p99 | max |',
    '|---|---|---|---|---|---|---|',
    `| bare NestJS | ${RATE} | ${rate(bare).toFixed(0)} | ${bare.failed} | ${ms(bare.p50)} | ${ms(bare.p99)} | ${ms(bare.max)} |`,
    `| reports \`POST /reports\` | ${RATE} | ${rate(reports).toFixed(0)} | ${reports.failed} | ${ms(reports.p50)} | ${ms(reports.p99)} | ${ms(reports.max)} |`,
    '',
    `Ratio reports / bare: p50 ×${(reports.p50 / bare.p50).toFixed(1)}, p99 ×${(reports.p99 / bare.p99).toFixed(1)}. ` +
      `Target p99 < ${TARGET.p99Ms} ms at ${TARGET.rate} submissions/s: **${met ? 'met' : 'not met'}**.`,
    MARKERS[1],
  ].join('\n');
  const file = await writeBenchSection('reports', section);
  return { section, file };
}

async function listen(app: INestApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer().address() as AddressInfo).port;
}

async function main(): Promise<void> {
  assertLoopback();
  const suffix = `bench_${randomBytes(3).toString('hex')}`;
  const schema = `bench_reports_${randomBytes(3).toString('hex')}`;
  const kafka = createKafka({ clientId: 'bench-reports', brokers: BROKERS.split(','), logLevel: 'error' });
  const admin = kafka.admin();
  await admin.connect();
  await provisionTopics(admin, {
    suffix,
    catalog: TOPIC_CATALOG.filter((spec) => TOPICS.includes(spec.name)),
  });
  const config = loadConfig(reportsEnv, {
    NODE_ENV: 'production',
    AUTH_MODE: 'jwks',
    AUTH_JWKS_URL: 'http://127.0.0.1:9/unused',
    AUTH_ISSUER: 'bench',
    AUTH_AUDIENCE: 'ioc',
    LOG_LEVEL: 'warn',
    DATABASE_URL,
    KAFKA_BROKERS: BROKERS,
    IOC_TOPIC_SUFFIX: suffix,
    DB_SCHEMA: schema,
    REPORTS_SWEEP_ENABLED: 'false',
  });
  const bare = await createHttpService(BareModule, { title: 'bare', description: 'bare' });
  const reports = await createHttpService(AppModule.forRoot(config), {
    ...HTTP_SERVICE_OPTIONS,
    jsonLimit: config.REPORTS_JSON_LIMIT,
  });
  try {
    const loadBefore = loadavg()[0];
    const bodies = await submissionBodies();
    const barePort = await listen(bare);
    const reportsPort = await listen(reports);
    const seeded = createDataSource({ url: DATABASE_URL, schema, migrations: [] });
    await seeded.initialize();
    await seedCityData(new TypeOrmUnitOfWork(seeded), CITY_DIR, new ReferenceDataRepository());
    await seeded.destroy();

    await load(barePort, '/bare', bodies, WARMUP_SECONDS);
    const bareRun = await load(barePort, '/bare', bodies, SECONDS);
    await load(reportsPort, '/reports', bodies, WARMUP_SECONDS);
    const reportsRun = await load(reportsPort, '/reports', bodies, SECONDS);
    const { section, file } = await writeSection(bareRun, reportsRun, loadBefore);
    process.stdout.write(`${section}\n\nwritten to ${file}\n`);
  } finally {
    await reports.close();
    await bare.close();
    const cleanup = createDataSource({ url: DATABASE_URL, schema, migrations: [] });
    await cleanup.initialize();
    await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await cleanup.destroy();
    const ours = (await admin.listTopics()).filter((topic) => topic.endsWith(`.${suffix}`));
    await admin.deleteTopics({ topics: ours });
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
