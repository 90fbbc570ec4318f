import { quotedSchema } from '@ioc/database';
import type { Kafka } from 'kafkajs';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { DataSource } from 'typeorm';
import { inBenchOrder, placeSection, renderSummary, type SummaryFile, type SummaryRow } from './summary';

/**
 * Where the benchmarks find Kafka and Postgres: the same variables as the services, defaulting to what
 * `npm run infra -- up` (or `npm start`) brings up on this machine.
 */
export const BENCH_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
export const BENCH_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A benchmark only ever loads servers on this machine (the workplace's rule for load tests). */
export function assertLoopback(): void {
  const hosts = [
    ...BENCH_BROKERS.map((broker) => broker.slice(0, broker.lastIndexOf(':'))),
    new URL(BENCH_DATABASE_URL).hostname,
  ];
  const foreign = hosts.filter((host) => !['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host));
  if (foreign.length > 0)
    throw new Error(`the benchmark runs on loopback only, not on ${foreign.join(', ')}`);
}

/** Polls until `done()` or the deadline; a benchmark never runs unbounded. */
export async function until(
  what: string,
  done: () => boolean | Promise<boolean>,
  deadlineMs = 300_000,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${deadlineMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Where the benchmarks write: docs/bench.md and, beside it, bench.json; BENCH_DOC names another markdown file (a
 * smoke run, `npm run bench -- --quick`, writes under .run/ and leaves docs/ alone).
 */
export const BENCH_DOC = path.resolve(process.env.BENCH_DOC ?? path.join(__dirname, '../docs/bench.md'));

const hundredths = (n: number) => Math.round(n * 100) / 100;

/** Writes `text` to `file` formatted as `npm run lint` expects. */
async function writeFormatted(file: string, text: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, await format(text, { ...(await resolveConfig(file)), filepath: file }));
}

/**
 * Replaces the benchmark's own section of docs/bench.md (between `<!-- bench:<name> -->` markers, which
 * `section` must start and end with), leaving the others, formatted as `npm run lint` expects. `summary`: its
 * headline figures, which replace its entry of bench.json, from which the summary table at the top is rendered.
 */
export async function writeBenchSection(
  name: string,
  section: string,
  summary?: readonly SummaryRow[],
): Promise<string> {
  const file = BENCH_DOC;
  let current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  current = placeSection(current, name, section);
  if (summary !== undefined) {
    const json = path.join(path.dirname(file), 'bench.json');
    const figures = (existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : {}) as SummaryFile;
    figures[name] = {
      date: new Date().toISOString().slice(0, 10),
      load: hundredths(loadavg()[0]),
      rows: summary.map((row) => ({
        ...row,
        value: hundredths(row.value),
        ...(row.baseline === undefined
          ? {}
          : { baseline: { ...row.baseline, value: hundredths(row.baseline.value) } }),
      })),
    };
    const ordered = Object.fromEntries(inBenchOrder(Object.keys(figures)).map((n) => [n, figures[n]]));
    await writeFormatted(json, `${JSON.stringify(ordered, null, 2)}\n`);
    current = placeSection(current, 'summary', renderSummary(ordered), 'top');
  }
  await writeFormatted(file, current);
  return file;
}

/**
 * The baseline every consumer benchmark is compared with: a raw kafkajs consumer in a group of its own, reading
 * `topics` from the start with no processing (eachBatch, counting), until `total` messages.
 * @param options.clockFrom `run`: the rate includes joining the group; `first-batch`: from the first batch on
 * @returns messages per second
 */
export async function rawConsumerRate(
  kafka: Kafka,
  options: {
    topics: string[];
    groupId: string;
    total: number;
    partitionsConsumedConcurrently?: number;
    clockFrom: 'run' | 'first-batch';
  },
): Promise<number> {
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 100 });
  let seen = 0;
  let started = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: options.topics, fromBeginning: true });
  if (options.clockFrom === 'run') started = performance.now();
  await consumer.run({
    ...(options.partitionsConsumedConcurrently === undefined
      ? {}
      : { partitionsConsumedConcurrently: options.partitionsConsumedConcurrently }),
    eachBatch: async ({ batch }) => {
      if (started === 0) started = performance.now();
      seen += batch.messages.length;
    },
  });
  await until('raw consumer', () => seen >= options.total);
  const rate = options.total / ((performance.now() - started) / 1000);
  await consumer.disconnect();
  return rate;
}

/**
 * Removes what a benchmark made, whatever happened before: its topics, and its schema with its data source, then
 * disconnects the admin client.
 */
export async function removeBenchData(
  admin: ReturnType<Kafka['admin']>,
  topics: string[],
  dataSource: DataSource,
): Promise<void> {
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  if (dataSource.isInitialized) {
    await dataSource.query(`DROP SCHEMA IF EXISTS ${quotedSchema(dataSource)} CASCADE`);
    await dataSource.destroy();
  }
}
