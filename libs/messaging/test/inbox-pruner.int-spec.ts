import { encodeKafkaMessage, Topics, type KnownIocEvent } from '@ioc/contracts';
import { qualifiedTable } from '@ioc/database';
import { InboxPruner, messagingMetrics, type ConsumeContext } from '@ioc/messaging';
import { databaseUrl, waitFor } from '@ioc/testing';
import { Client } from 'pg';
import { useMessagingWorld } from './fixtures/messaging-world';
import { aDetection } from './fixtures/events';
import { applyDetection } from './fixtures/harness';

// The project's testTimeout is a per-project option jest-circus does not read; set it for this file.
jest.setTimeout(60_000);

const DAY_MS = 24 * 60 * 60 * 1000;

describe(InboxPruner.name, () => {
  const world = useMessagingWorld({
    schema: 'pruner',
    partitions: { [Topics.cameraDetections]: 1, [Topics.dlq]: 1 },
  });
  const { schema, suffix } = world;
  const producer = world.producer();

  beforeEach(async () => {
    await world.dataSource.query(`TRUNCATE ${qualifiedTable(world.dataSource, 'inbox')}`);
  });

  const inbox = () => qualifiedTable(world.dataSource, 'inbox');

  /** Inbox rows processed `ageMs` ago, ids `${prefix}-0` … */
  async function seed(prefix: string, count: number, ageMs: number, consumer = 'seeded'): Promise<void> {
    await world.dataSource.query(
      `INSERT INTO ${inbox()} (consumer, event_id, outcome, processed_at)
       SELECT $1, $2 || '-' || i, 'applied', now() - $3::bigint * interval '1 millisecond'
       FROM generate_series(0, $4 - 1) AS i`,
      [consumer, prefix, ageMs, count],
    );
  }

  async function ids(): Promise<string[]> {
    const rows: { event_id: string }[] = await world.dataSource.query(
      `SELECT event_id FROM ${inbox()} ORDER BY event_id`,
    );
    return rows.map((row) => row.event_id);
  }

  async function prunedTotal(): Promise<number> {
    const metric = await messagingMetrics().inboxPruned.get();
    return metric.values.find((v) => v.labels.schema === schema)?.value ?? 0;
  }

  function aPruner(batchSize: number, intervalMs?: number): InboxPruner {
    const pruner = new InboxPruner({
      dataSource: world.dataSource,
      retentionMs: DAY_MS,
      batchSize,
      intervalMs,
    });
    world.stopAtTearDown(pruner);
    return pruner;
  }

  it('deletes rows older than the retention in batches, keeps the recent ones and counts what it pruned', async () => {
    await seed('old', 25, 10 * DAY_MS);
    await seed('edge', 3, DAY_MS + 60_000);
    await seed('recent', 4, DAY_MS - 60_000);
    const before = await prunedTotal();

    const result = await aPruner(10).pruneOnce();

    expect(result).toEqual({ ran: true, deleted: 28, batches: 3 });
    expect(await ids()).toEqual(['recent-0', 'recent-1', 'recent-2', 'recent-3']);
    expect((await prunedTotal()) - before).toBe(28);
    expect(await aPruner(10).pruneOnce()).toEqual({ ran: true, deleted: 0, batches: 0 });
  });

  it('runs on its schedule until stopped', async () => {
    const pruner = aPruner(10, 100);
    await seed('first', 12, 2 * DAY_MS);
    await pruner.start();
    await waitFor(async () => (await ids()).length === 0, { what: 'the first run' });
    await seed('second', 5, 2 * DAY_MS);
    await waitFor(async () => (await ids()).length === 0, { what: 'a later run' });
    await pruner.stop();
    await seed('after', 2, 2 * DAY_MS);
    expect(await ids()).toEqual(['after-0', 'after-1']);
  });

  it('lets one pruner of a schema run at a time; the other skips its turn', async () => {
    await seed('old', 30, 10 * DAY_MS);
    // Another session holds one of the old rows, so the first pruner's run waits in its DELETE.
    const holder = new Client({ connectionString: databaseUrl() });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM ${inbox()} WHERE event_id = 'old-29' FOR UPDATE`);
      const first = aPruner(10).pruneOnce();
      await waitFor(
        async () => {
          const rows: unknown[] = await world.dataSource.query(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM %' || $1 || '%'`,
            [schema],
          );
          return rows.length > 0;
        },
        { what: 'the first pruner to wait for the held row' },
      );

      expect(await aPruner(10).pruneOnce()).toEqual({ ran: false, reason: 'busy' });

      await holder.query('COMMIT');
      expect(await first).toEqual({ ran: true, deleted: 30, batches: 3 });
    } finally {
      await holder.end();
    }
    expect(await ids()).toEqual([]);
    // The lock went with the run.
    expect(await aPruner(10).pruneOnce()).toEqual({ ran: true, deleted: 0, batches: 0 });
  });

  it('still recognises a redelivered recent event after pruning', async () => {
    const consumerName = `pruner-test-${suffix}`;
    const topic = world.topic(Topics.cameraDetections);
    const counters = async () =>
      Object.fromEntries(
        (
          (await world.dataSource.query(
            `SELECT camera_id, n FROM ${qualifiedTable(world.dataSource, 'counters')}`,
          )) as {
            camera_id: string;
            n: number;
          }[]
        ).map(({ camera_id, n }) => [camera_id, n]),
      );
    const runner = world.runner({
      consumerName,
      topics: [topic],
      handler: (event: KnownIocEvent, context: ConsumeContext) =>
        applyDetection(context.manager, schema, event),
    });
    const recent = aDetection('cam-recent');
    await producer.sendRecords([{ topic, ...encodeKafkaMessage(recent) }]);
    await runner.start();
    await waitFor(async () => (await counters())['cam-recent'] === 1, { what: 'the first delivery' });
    await seed('old', 15, 10 * DAY_MS, consumerName);

    expect(await aPruner(10).pruneOnce()).toEqual({ ran: true, deleted: 15, batches: 2 });
    expect(await ids()).toEqual([recent.id]);

    await producer.sendRecords([
      { topic, ...encodeKafkaMessage(recent) },
      { topic, ...encodeKafkaMessage(aDetection('cam-next')) },
    ]);
    await waitFor(async () => (await counters())['cam-next'] === 1, {
      what: 'the event after the redelivery',
    });
    expect(await counters()).toEqual({ 'cam-recent': 1, 'cam-next': 1 });
    const duplicates = await messagingMetrics().duplicates.get();
    expect(duplicates.values.find((v) => v.labels.consumer === consumerName)?.value).toBe(1);
  });
});
