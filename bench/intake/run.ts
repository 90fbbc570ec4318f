/**
 * Intake throughput and latency, in one run:
 *   (a) a raw kafkajs consumer reading the detections topic (eachBatch, no processing), the baseline;
 *   (b) intake end to end on the same topic: consume, decode, validate, inbox, correlate into incidents,
 *       persist (incidents and tallies set-wise per chunk), emit through the outbox and the relay
 *       (acks=all); the rate runs until the last detection is committed and the outbox is drained;
 *   (c) latency at a steady rate (BENCH_RATE, 2,000/s): 95% of the detections merge into live incidents,
 *       5% open new ones; p50/p99 from produce to the `incident.opened` read back from Kafka.
 * The services are the app's own classes, wired by hand (tsx emits no decorator metadata for Nest DI).
 * Loopback only, bounded; cleans up its topics and schema; writes its section of docs/bench.md.
 * Env: BENCH_DETECTIONS (200000), BENCH_CAMERAS (2000), BENCH_RATE (2000), BENCH_LATENCY_SECONDS (30),
 * KAFKA_BROKERS (127.0.0.1:9092, as `npm run infra -- up` starts it), DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres),
 * CITY_DATA_DIR (data/cities/hai-phong: where the synthetic cameras are placed).
 */
import {
  createEvent,
  decodeKafkaMessage,
  DETECTION_CLASSES,
  type DetectionClass,
  EventTypes,
  type KnownIocEvent,
  Topics,
  TOPIC_CATALOG,
  topicName,
  type TopicSpec,
} from '@ioc/contracts';
import { createDataSource, qualifiedTable, runMigrations, TypeOrmUnitOfWork } from '@ioc/database';
import {
  BatchConsumerRunner,
  createKafka,
  DeadLetterPublisher,
  EventProducer,
  Outbox,
  OutboxRelay,
  provisionTopics,
  TopicNames,
} from '@ioc/messaging';
import { SystemClock } from '@ioc/platform';
import { loadConfig } from '@ioc/observability';
import { type Camera, loadCityData } from '@ioc/reference-data';
import type { Kafka } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { intakeEnv } from '../../apps/intake/src/config';
import { dataOf } from '../../apps/intake/src/common/consumed-events';
import { IncidentsRepository } from '../../apps/intake/src/incidents/incidents.repository';
import { IncidentsService } from '../../apps/intake/src/incidents/incidents.service';
import { SeverityRules } from '../../apps/intake/src/incidents/severity';
import { intakeMigrations } from '../../apps/intake/src/migrations';
import { ReferenceDataRepository } from '../../apps/intake/src/reference/reference-data.repository';
import { UuidIdGenerator } from '../../apps/intake/src/common/id-generator';
import {
  assertLoopback,
  BENCH_BROKERS,
  BENCH_DATABASE_URL,
  rawConsumerRate,
  removeBenchData,
  until,
  writeBenchSection,
} from '../support';

const DETECTIONS = Number(process.env.BENCH_DETECTIONS ?? 200_000);
const CAMERAS = Number(process.env.BENCH_CAMERAS ?? 2_000);
const RATE = Number(process.env.BENCH_RATE ?? 2_000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 30);
const BROKERS = BENCH_BROKERS;
const DATABASE_URL = BENCH_DATABASE_URL;
const CITY_DATA_DIR = path.resolve(process.env.CITY_DATA_DIR ?? 'data/cities/hai-phong');
const TARGETS = { detectionsPerSecond: 10_000, p99Ms: 500 };
const MARKERS = ['<!-- bench:intake -->', '<!-- /bench:intake -->'] as const;
/** Classes of the steady load, merged into live incidents; the others are left for fresh incidents. */
const LOAD_CLASSES: DetectionClass[] = ['congestion', 'crowd', 'queue-length'];
/** Opens the warm-up incident that tells both consumer groups are assigned before the clock starts. */
const WARM_UP_CLASS: DetectionClass = 'other';
const FRESH_CLASSES = DETECTION_CLASSES.filter((c) => !LOAD_CLASSES.includes(c) && c !== WARM_UP_CLASS);
const MARKER_SHARE = 0.05;

const cameraId = (i: number) => `BENCH-CAM-${String(i % CAMERAS).padStart(5, '0')}`;

function aDetection(camera: string, cls: DetectionClass, observedAt: Date): KnownIocEvent {
  return createEvent(EventTypes.cameraDetection, {
    source: '/ioc/bench',
    subject: camera,
    data: { cameraId: camera, class: cls, confidence: 0.9, observedAt: observedAt.toISOString() },
  });
}

/** A fleet of synthetic cameras placed where the city's first camera is. */
async function syntheticCameras(): Promise<Camera[]> {
  const [template] = (await loadCityData(CITY_DATA_DIR)).cameras;
  return Array.from({ length: CAMERAS }, (_, i) => ({ ...template, id: cameraId(i) }));
}

async function produceBurst(producer: EventProducer, topic: string): Promise<number> {
  const started = performance.now();
  const chunk = 5_000;
  for (let offset = 0; offset < DETECTIONS; offset += chunk) {
    const now = new Date();
    const events = Array.from({ length: Math.min(chunk, DETECTIONS - offset) }, (_, i) =>
      aDetection(cameraId(offset + i), LOAD_CLASSES[(offset + i) % LOAD_CLASSES.length], now),
    );
    await producer.send(topic, events);
  }
  return DETECTIONS / ((performance.now() - started) / 1000);
}

/** The intake detections pipeline as the app wires it, for the topics of `suffix`. */
function pipeline(
  kafka: Kafka,
  dataSource: DataSource,
  producer: EventProducer,
  suffix: string,
  env: Record<string, string>,
) {
  const config = loadConfig(intakeEnv, {
    // The service's own tuning variables (INTAKE_CHUNK_SIZE, INTAKE_PARTITION_CONCURRENCY, …) pass through.
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => /^(INTAKE|INCIDENT)_/.test(name))),
    DATABASE_URL,
    KAFKA_BROKERS: BROKERS.join(','),
    IOC_TOPIC_SUFFIX: suffix,
    ...env,
  });
  const topics = new TopicNames(suffix);
  const service = new IncidentsService(
    new IncidentsRepository(),
    new ReferenceDataRepository(),
    new Outbox(),
    topics,
    new SystemClock(),
    new UuidIdGenerator(),
    config,
    new SeverityRules(config.INTAKE_INCIDENT_SEVERITY_RULES, config.CITY_TIMEZONE),
    new TypeOrmUnitOfWork(dataSource),
  );
  let committed = 0;
  const runner = new BatchConsumerRunner({
    kafka,
    dataSource,
    groupId: `bench-intake-${suffix}`,
    consumerName: 'intake.camera-detections',
    topics: [topics.of(Topics.cameraDetections)],
    dlq: new DeadLetterPublisher(producer, { topic: topics.of(Topics.dlq) }),
    maxMessagesPerTransaction: config.INTAKE_CHUNK_SIZE,
    partitionsConsumedConcurrently: config.INTAKE_PARTITION_CONCURRENCY,
    batchHandler: (events, { manager }) =>
      service.applyDetections(manager, dataOf(EventTypes.cameraDetection, events)),
    hooks: {
      afterCommit: (info) => {
        committed += info.applied + info.duplicates + info.deadLettered;
      },
    },
  });
  return { runner, topics, committed: () => committed };
}

async function endToEnd(
  kafka: Kafka,
  dataSource: DataSource,
  producer: EventProducer,
  suffix: string,
): Promise<number> {
  const { runner, committed } = pipeline(kafka, dataSource, producer, suffix, {});
  const outbox = qualifiedTable(dataSource, 'outbox');
  const started = performance.now();
  await runner.start();
  await until('intake pipeline', () => committed() >= DETECTIONS);
  await until('outbox drained', async () => {
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM ${outbox}`);
    return n === 0;
  });
  const rate = DETECTIONS / ((performance.now() - started) / 1000);
  await runner.stop();
  const [{ total }] = await dataSource.query(
    `SELECT sum(total)::int AS total FROM ${qualifiedTable(dataSource, 'detection_tallies')}`,
  );
  if (total !== DETECTIONS) throw new Error(`intake tallied ${total} detections of ${DETECTIONS}`);
  return rate;
}

async function latency(
  kafka: Kafka,
  dataSource: DataSource,
  producer: EventProducer,
  suffix: string,
): Promise<{ p50: number; p99: number; max: number; samples: number }> {
  const { runner, topics } = pipeline(kafka, dataSource, producer, suffix, {});
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const announced = new Set<string>();
  const reader = kafka.consumer({ groupId: `bench-intake-reader-${suffix}`, maxWaitTimeInMs: 10 });
  await reader.connect();
  await reader.subscribe({ topics: [topics.of(Topics.incidentsEvents)], fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const decoded = decodeKafkaMessage(message);
      if (!decoded.ok || decoded.event.type !== EventTypes.incidentOpened) return;
      const data = decoded.event.data as { cameraId?: string; class: string };
      announced.add(`${data.cameraId}/${data.class}`);
      const sent = sentAt.get(`${data.cameraId}/${data.class}`);
      if (sent !== undefined) latencies.push(Date.now() - sent);
    },
  });
  await runner.start();
  // New consumer groups wait for the broker's initial rebalance delay; that is start-up, not latency.
  await producer.send(topics.of(Topics.cameraDetections), [
    aDetection(cameraId(0), WARM_UP_CLASS, new Date()),
  ]);
  await until('warm-up incident announced', () => announced.has(`${cameraId(0)}/${WARM_UP_CLASS}`));
  const tickMs = 50;
  const perTick = Math.round((RATE * tickMs) / 1000);
  const markersPerTick = Math.max(1, Math.round(perTick * MARKER_SHARE));
  const ticks = (LATENCY_SECONDS * 1000) / tickMs;
  let marker = 0;
  let load = 0;
  const start = Date.now();
  for (let tick = 0; tick < ticks; tick += 1) {
    const now = new Date();
    const events: KnownIocEvent[] = [];
    for (let i = 0; i < perTick - markersPerTick; i += 1, load += 1) {
      events.push(aDetection(cameraId(load), LOAD_CLASSES[load % LOAD_CLASSES.length], now));
    }
    for (let i = 0; i < markersPerTick; i += 1, marker += 1) {
      const camera = cameraId(marker);
      const cls = FRESH_CLASSES[Math.floor(marker / CAMERAS) % FRESH_CLASSES.length];
      sentAt.set(`${camera}/${cls}`, now.getTime());
      events.push(aDetection(camera, cls, now));
    }
    await producer.send(topics.of(Topics.cameraDetections), events);
    // Absolute schedule: a slow send is caught up on rather than stretching the run.
    const wait = start + (tick + 1) * tickMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await until('every fresh incident announced', () => latencies.length >= sentAt.size);
  await runner.stop();
  await reader.disconnect();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  return { p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1], samples: latencies.length };
}

async function writeReport(figures: {
  produced: number;
  raw: number;
  intake: number;
  latency: { p50: number; p99: number; max: number; samples: number };
}): Promise<{ section: string; file: string }> {
  const round = (n: number) => Math.round(n).toLocaleString('en-US');
  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
  const cpu = cpus();
  const section = [
    MARKERS[0],
    '## Intake',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}: ${cpu.length} cores (${cpu[0]?.model.trim()}), ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; Kafka, Postgres and the benchmark on the ` +
      'same machine (loopback), shared with other work at the time, so the figures are a floor.',
    '',
    `Command: \`npm run bench:intake\` (BENCH_DETECTIONS=${DETECTIONS}, BENCH_CAMERAS=${CAMERAS}, ` +
      `BENCH_RATE=${RATE}, BENCH_LATENCY_SECONDS=${LATENCY_SECONDS}). ${DETECTIONS.toLocaleString('en-US')} valid ` +
      `detections of ${CAMERAS.toLocaleString('en-US')} synthetic cameras × ${LOAD_CLASSES.length} classes on the ` +
      `catalog's detections topic (12 partitions), produced once (${round(figures.produced)} msgs/s), then read from ` +
      'the start by each consumer in a group of its own, one consumer process each.',
    '',
    `| measure | result | target |`,
    '|---|---:|---|',
    `| (a) raw kafkajs consumer, eachBatch, no processing | ${round(figures.raw)} detections/s | baseline |`,
    `| (b) intake end to end: consume, validate, inbox, correlate, persist, emit (outbox drained) | ${round(figures.intake)} detections/s (${((figures.intake / figures.raw) * 100).toFixed(1)}% of (a)) | ≥ ${round(TARGETS.detectionsPerSecond)}/s: ${verdict(figures.intake >= TARGETS.detectionsPerSecond)} |`,
    `| (c) produce → \`incident.opened\` read back, steady ${round(RATE)} detections/s for ${LATENCY_SECONDS} s (${figures.latency.samples} new incidents) | p50 ${round(figures.latency.p50)} ms, p99 ${round(figures.latency.p99)} ms, max ${round(figures.latency.max)} ms | p99 < ${TARGETS.p99Ms} ms: ${verdict(figures.latency.p99 < TARGETS.p99Ms)} |`,
    '',
    '(b) runs from the consumer group joined to the last detection committed and the outbox drained by the',
    'relay; every chunk (up to INTAKE_CHUNK_SIZE messages of a partition, INTAKE_PARTITION_CONCURRENCY partitions at once) is one',
    'transaction: the inbox insert, one registry read, one lock of the live incidents, one incidents upsert,',
    'one tallies upsert and one outbox insert. The tallies are checked to hold exactly every detection.',
    `In (c) ${Math.round((1 - MARKER_SHARE) * 100)}% of the detections merge into live incidents (rate-limited`,
    `updates) and ${Math.round(MARKER_SHARE * 100)}% open new ones, whose \`incident.opened\` goes through the outbox,`,
    'the relay (woken by `pg_notify`) and Kafka before the reader sees it.',
    MARKERS[1],
  ].join('\n');
  const file = await writeBenchSection('intake', section, [
    {
      figure: 'intake end to end (consume … outbox drained)',
      value: figures.intake,
      unit: 'detections/s',
      baseline: { of: 'raw kafkajs consumer', value: figures.raw },
      target: `≥ ${round(TARGETS.detectionsPerSecond)}/s`,
      met: figures.intake >= TARGETS.detectionsPerSecond,
    },
    {
      figure: `p99 produce → \`incident.opened\` read back at ${round(RATE)} detections/s`,
      value: figures.latency.p99,
      unit: 'ms',
      target: `p99 < ${TARGETS.p99Ms} ms`,
      met: figures.latency.p99 < TARGETS.p99Ms,
    },
  ]);
  return { section, file };
}

async function main(): Promise<void> {
  assertLoopback();
  const suffix = `bench_${randomBytes(3).toString('hex')}`;
  const latencySuffix = `${suffix}_lat`;
  const kafka = createKafka({ clientId: 'bench-intake', brokers: BROKERS, logLevel: 'error' });
  const wanted = new Set<string>([Topics.cameraDetections, Topics.incidentsEvents, Topics.dlq]);
  const catalog: TopicSpec[] = TOPIC_CATALOG.filter((spec) => wanted.has(spec.name));
  const created = [suffix, latencySuffix].flatMap((s) => catalog.map((spec) => topicName(spec.name, s)));
  const admin = kafka.admin();
  await admin.connect();
  const dataSource = createDataSource({
    url: DATABASE_URL,
    schema: suffix,
    migrations: intakeMigrations,
    applicationName: 'bench-intake',
    poolSize: 20,
  });
  const producer = EventProducer.create(kafka);
  const relayProducer = EventProducer.create(kafka);
  const relay = new OutboxRelay({ dataSource, sender: relayProducer, batchSize: 1_000 });
  try {
    await provisionTopics(admin, { suffix, catalog });
    await provisionTopics(admin, { suffix: latencySuffix, catalog });
    await runMigrations(dataSource);
    const cameras = await syntheticCameras();
    await dataSource.transaction((tx) => new ReferenceDataRepository().upsertCameras(tx, cameras));
    await producer.connect();
    await relayProducer.connect();
    await relay.start();

    console.log(`producing ${DETECTIONS} detections …`);
    const produced = await produceBurst(producer, topicName(Topics.cameraDetections, suffix));
    console.log('(a) raw kafkajs consumer …');
    const raw = await rawConsumerRate(kafka, {
      topics: [topicName(Topics.cameraDetections, suffix)],
      groupId: `bench-intake-raw-${suffix}`,
      total: DETECTIONS,
      partitionsConsumedConcurrently: 4,
      clockFrom: 'run',
    });
    console.log('(b) intake end to end …');
    const intake = await endToEnd(kafka, dataSource, producer, suffix);
    console.log(`(c) latency at ${RATE}/s for ${LATENCY_SECONDS} s …`);
    const lat = await latency(kafka, dataSource, producer, latencySuffix);

    const { section, file } = await writeReport({ produced, raw, intake, latency: lat });
    console.log(`\n${section}\n\nwritten to ${file}`);
  } finally {
    await relay.stop();
    await relayProducer.disconnect();
    await producer.disconnect();
    await removeBenchData(admin, created, dataSource);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
