import { Topics } from '@ioc/contracts';
import { qualifiedTable } from '@ioc/database';
import { EventProducer, type AfterCommitInfo } from '@ioc/messaging';
import { databaseUrl, kafkaBrokers, waitFor } from '@ioc/testing';
import { aDetection } from './fixtures/events';
import { exited, runFixture } from './fixtures/harness';
import { useMessagingWorld } from './fixtures/messaging-world';

// The project's testTimeout is a per-project option jest-circus does not read; set it for this file.
jest.setTimeout(90_000);

const CAMERAS = 30;
const PER_CAMERA = 10;
const RESENT = 60;

function jsonLines<T>(output: string, key: string): T[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, T>)
    .filter((line) => key in line)
    .map((line) => line[key]);
}

describe('consumer killed between its database commit and its offset commit', () => {
  const world = useMessagingWorld({
    schema: 'consumerkill',
    partitions: { [Topics.cameraDetections]: 3, [Topics.dlq]: 1 },
  });
  const { kafka, schema } = world;
  const group = `crash-${world.suffix}`;

  async function lagOfGroup(): Promise<bigint> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topic = world.topic(Topics.cameraDetections);
      const [ends, [committed]] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchOffsets({ groupId: group, topics: [topic] }),
      ]);
      return ends.reduce((lag, { partition, high }) => {
        const at = committed.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        return lag + BigInt(high) - (at === '-1' ? 0n : BigInt(at));
      }, 0n);
    } finally {
      await admin.disconnect();
    }
  }

  async function committedOffset(partition: number): Promise<bigint> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({
        groupId: group,
        topics: [world.topic(Topics.cameraDetections)],
      });
      return BigInt(committed.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
    } finally {
      await admin.disconnect();
    }
  }

  it('applies every effect exactly once, redelivered and re-sent duplicates included', async () => {
    const topic = world.topic(Topics.cameraDetections);
    const events = Array.from({ length: CAMERAS * PER_CAMERA }, (_, i) =>
      aDetection(`cam-${i % CAMERAS}`, { seq: Math.floor(i / CAMERAS) + 1 }),
    );
    const producer = EventProducer.create(kafka);
    try {
      await producer.send(topic, events);
      // An integrator retrying: the same events (same ids) once more.
      await producer.send(
        topic,
        events.filter((_, i) => i % 5 === 0),
      );
    } finally {
      await producer.disconnect();
    }
    const env = {
      DATABASE_URL: databaseUrl(),
      KAFKA_BROKERS: kafkaBrokers().join(','),
      SCHEMA: schema,
      TOPIC: topic,
      DLQ_TOPIC: world.topic(Topics.dlq),
      GROUP: group,
      CHUNK: '40',
    };

    const first = runFixture('consumer.fixture.ts', { ...env, KILL_AFTER_COMMITS: '2' });
    expect(await exited(first)).toBe('SIGKILL');
    const firstCommits = jsonLines<AfterCommitInfo>(first.output(), 'committed');
    expect(firstCommits).toHaveLength(2);
    const killed = firstCommits[1];
    // Its transaction committed, its offset did not.
    expect(await committedOffset(killed.partition)).toBeLessThanOrEqual(BigInt(killed.lastOffset));

    const second = runFixture('consumer.fixture.ts', env);
    await waitFor(async () => (await lagOfGroup()) === 0n, {
      what: 'the restarted consumer to catch up',
      timeoutMs: 60_000,
    });
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
    const [totals] = jsonLines<{ applied: number; duplicates: number }>(second.output(), 'totals');

    const counters: { camera_id: string; n: number }[] = await world.dataSource.query(
      `SELECT camera_id, n FROM ${qualifiedTable(world.dataSource, 'counters')} ORDER BY camera_id`,
    );
    expect(counters).toHaveLength(CAMERAS);
    expect(counters.every(({ n }) => n === PER_CAMERA)).toBe(true);
    const [{ rows, ids }] = await world.dataSource.query(
      `SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS ids FROM ${qualifiedTable(world.dataSource, 'applied')}`,
    );
    expect({ rows, ids }).toEqual({ rows: events.length, ids: events.length });

    // Every message was seen: applied once, or skipped as a duplicate (the re-sent ones and the
    // killed chunk, redelivered because its offset was never committed).
    const killedChunkSize = killed.applied + killed.duplicates + killed.deadLettered;
    const firstTotals = firstCommits.reduce(
      (sum, c) => ({ applied: sum.applied + c.applied, duplicates: sum.duplicates + c.duplicates }),
      { applied: 0, duplicates: 0 },
    );
    expect(firstTotals.applied + totals.applied).toBe(events.length);
    expect(firstTotals.duplicates + totals.duplicates).toBe(RESENT + killedChunkSize);
  });
});
