import { type IocEvent, Topics } from '@ioc/contracts';
import { newTrace, runWithCorrelation } from '@ioc/observability';
import type { EntityManager } from 'typeorm';
import { qualifiedTable } from '@ioc/database';
import {
  BatchConsumerRunner,
  DeadLetterPublisher,
  Outbox,
  OutboxRelay,
  RecordSender,
  type OutboundRecord,
  type RetryOptions,
} from '@ioc/messaging';
import { waitFor, readTopic } from '@ioc/testing';
import { useMessagingWorld } from './fixtures/messaging-world';
import { aDetection } from './fixtures/events';
import { applyDetection } from './fixtures/harness';

// The project's testTimeout is a per-project option jest-circus does not read; set it for this file.
jest.setTimeout(60_000);

const session = { sessionTimeout: 6_000, heartbeatInterval: 300, rebalanceTimeout: 6_000 };
const retry: RetryOptions = { initialMs: 50, maxMs: 500, maxAttempts: 5 };

describe('transactional outbox', () => {
  const world = useMessagingWorld({
    schema: 'outbox',
    partitions: { [Topics.cameraDetections]: 4, [Topics.dlq]: 1 },
  });
  const { kafka, schema, suffix } = world;
  const outbox = new Outbox();

  async function count(table: string, where = 'true'): Promise<number> {
    const [{ n }] = await world.dataSource.query(
      `SELECT count(*)::int AS n FROM ${qualifiedTable(world.dataSource, table)} WHERE ${where}`,
    );
    return n as number;
  }

  it('commits a state change and its event together, or neither', async () => {
    const committed = aDetection('cam-commit');
    const rolledBack = aDetection('cam-rollback');

    await world.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO ${qualifiedTable(manager, 'widgets')} (id) VALUES ('w-commit')`);
      await outbox.enqueue(manager, world.topic(Topics.cameraDetections), [committed]);
    });
    await expect(
      world.dataSource.transaction(async (manager) => {
        await manager.query(`INSERT INTO ${qualifiedTable(manager, 'widgets')} (id) VALUES ('w-rollback')`);
        await outbox.enqueue(manager, world.topic(Topics.cameraDetections), [rolledBack]);
        throw new Error('the service rule failed after the write');
      }),
    ).rejects.toThrow('the service rule failed');

    expect(await count('widgets', `id = 'w-commit'`)).toBe(1);
    expect(await count('outbox', `event_id = '${committed.id}'`)).toBe(1);
    expect(await count('widgets', `id = 'w-rollback'`)).toBe(0);
    expect(await count('outbox', `event_id = '${rolledBack.id}'`)).toBe(0);

    // Published by a relay, the row leaves the outbox and the event is on Kafka.
    const relay = new OutboxRelay({
      dataSource: world.dataSource,
      sender: world.producer(),
      pollIntervalMs: 200,
    });
    world.stopAtTearDown(relay);
    await relay.start();
    await waitFor(async () => (await count('outbox')) === 0, { what: 'the outbox to drain' });
    const records = await readTopic(world.topic(Topics.cameraDetections));
    expect(records.map((r) => r.headers.ce_id)).toEqual([committed.id]);
    expect(records[0]).toMatchObject({ key: 'cam-commit', headers: { ce_subject: 'cam-commit' } });
    await relay.stop();
  });

  it('keeps each key in order across partitions: outbox → two relays → Kafka → two runners', async () => {
    const cameras = Array.from({ length: 40 }, (_, i) => `cam-${String(i).padStart(3, '0')}`);
    const perCamera = 25;
    const next = new Map(cameras.map((camera) => [camera, 1]));
    const relays = [1, 2].map(
      () =>
        new OutboxRelay({
          dataSource: world.dataSource,
          sender: world.producer(),
          batchSize: 50,
          pollIntervalMs: 200,
        }),
    );
    world.stopAtTearDown(...relays);
    await Promise.all(relays.map((relay) => relay.start()));

    const dlq = new DeadLetterPublisher(world.producer(), { topic: world.topic(Topics.dlq) });
    const runners = [1, 2].map(
      () =>
        new BatchConsumerRunner({
          kafka,
          dataSource: world.dataSource,
          groupId: `order-${suffix}`,
          consumerName: 'order-test',
          topics: [world.topic(Topics.cameraDetections)],
          handler: (event, { manager }) => applyDetection(manager, schema, event),
          dlq,
          retry,
          session,
          maxMessagesPerTransaction: 37,
        }),
    );
    world.stopAtTearDown(...runners);
    await runners[0].start();

    // Transactions of 20 events, cameras interleaved at random, each camera's events in sequence; the
    // relays publish while rows keep arriving, and the second runner joins (a rebalance) midway.
    let remaining = cameras.length * perCamera;
    let transactions = 0;
    while (remaining > 0) {
      const events: ReturnType<typeof aDetection>[] = [];
      for (let i = 0; i < 20 && remaining > 0; i += 1) {
        const open = cameras.filter((camera) => (next.get(camera) as number) <= perCamera);
        const camera = open[Math.floor(Math.random() * open.length)];
        const seq = next.get(camera) as number;
        next.set(camera, seq + 1);
        events.push(aDetection(camera, { seq }));
        remaining -= 1;
      }
      await world.dataSource.transaction((manager) =>
        outbox.enqueue(manager, world.topic(Topics.cameraDetections), events),
      );
      transactions += 1;
      if (transactions === 10) await runners[1].start();
    }

    const total = cameras.length * perCamera;
    // The first spec's event is on the topic too (without a seq): only this spec's events count.
    await waitFor(async () => (await count('applied', 'seq IS NOT NULL')) >= total, {
      what: `${total} applied events`,
      timeoutMs: 60_000,
    });

    const applied: { camera_id: string; seq: number }[] = await world.dataSource.query(
      `SELECT camera_id, seq FROM ${qualifiedTable(world.dataSource, 'applied')} WHERE seq IS NOT NULL ORDER BY position`,
    );
    const seen = new Map<string, number[]>();
    for (const { camera_id, seq } of applied) seen.set(camera_id, [...(seen.get(camera_id) ?? []), seq]);
    const expected = Array.from({ length: perCamera }, (_, i) => i + 1);
    for (const camera of cameras)
      expect({ camera, seqs: seen.get(camera) }).toEqual({ camera, seqs: expected });
    expect(await count('outbox')).toBe(0);
    await Promise.all(relays.map((relay) => relay.stop()));
  });

  it('keeps a batch whose publication failed and publishes it on the next round', async () => {
    const topic = world.topic(Topics.cameraDetections);
    const producer = world.producer();
    const attempts: number[] = [];
    const flaky = new (class extends RecordSender {
      async sendRecords(records: readonly OutboundRecord[]): Promise<void> {
        attempts.push(records.length);
        if (attempts.length === 1) throw new Error('broker unavailable');
        await producer.sendRecords(records);
      }
    })();
    const events = ['cam-f1', 'cam-f2', 'cam-f3'].map((camera) => aDetection(camera));
    await world.dataSource.transaction((manager) => outbox.enqueue(manager, topic, events));

    const relay = new OutboxRelay({ dataSource: world.dataSource, sender: flaky, pollIntervalMs: 50 });
    world.stopAtTearDown(relay);
    await relay.start();
    await waitFor(async () => (await count('outbox')) === 0, { what: 'the relay to recover' });
    await relay.stop();

    expect(attempts).toEqual([3, 3]);
    const ids = new Set(events.map((e) => e.id));
    const published = (await readTopic(topic)).filter((r) => ids.has(r.headers.ce_id));
    expect(new Set(published.map((r) => r.headers.ce_id))).toEqual(ids);
  });

  describe('rows written by the caller’s own statement', () => {
    const widget = (manager: EntityManager) => qualifiedTable(manager, 'widgets');
    const stored = (topic: string) =>
      world.dataSource.query<{ event_id: string; topic: string; message_key: string; headers: string }[]>(
        `SELECT event_id, topic, message_key, headers::text AS headers, payload
         FROM ${qualifiedTable(world.dataSource, 'outbox')} WHERE topic = $1 ORDER BY seq`,
        [topic],
      );

    // Rows of a topic no relay should publish (it does not exist on the broker).
    const forget = (topic: string) =>
      world.dataSource.query(`DELETE FROM ${qualifiedTable(world.dataSource, 'outbox')} WHERE topic = $1`, [
        topic,
      ]);

    /** A widget and the rows of `events` in one statement, outside any transaction. */
    function insertWithRows(id: string, topic: string, events: readonly IocEvent[]) {
      const manager = world.dataSource.manager;
      const rows = outbox.rows(topic, events).insert(manager, 2);
      return manager.query(
        `WITH widget AS (INSERT INTO ${widget(manager)} (id) VALUES ($1)), outbox AS (${rows.sql}) SELECT 1`,
        [id, ...rows.parameters],
      );
    }

    it('stores byte for byte the rows enqueue stores, in the caller’s order', async () => {
      const topic = `${world.topic(Topics.cameraDetections)}.same-rows`;
      const events = ['cam-r2', 'cam-r1', 'cam-r3'].map((camera) => aDetection(camera));
      const trace = newTrace();

      await runWithCorrelation(
        'req-rows',
        () => world.dataSource.transaction((manager) => outbox.enqueue(manager, topic, events)),
        trace,
      );
      const enqueued = await stored(topic);
      await forget(topic);
      await runWithCorrelation('req-rows', () => insertWithRows('w-same-rows', topic, events), trace);

      expect(enqueued.map((row) => row.event_id)).toEqual(events.map((e) => e.id));
      expect(await stored(topic)).toEqual(enqueued);
      await forget(topic);
    });

    it('commits with the statement or not at all, outside a transaction', async () => {
      const topic = `${world.topic(Topics.cameraDetections)}.atomic`;
      await world.dataSource.query(`INSERT INTO ${widget(world.dataSource.manager)} (id) VALUES ('w-taken')`);

      // The widget's primary key fails the statement after the rows were built into it.
      await expect(insertWithRows('w-taken', topic, [aDetection('cam-a1')])).rejects.toThrow(/duplicate key/);

      expect(await stored(topic)).toEqual([]);
    });

    it('wakes the relay at commit, as enqueue does', async () => {
      const topic = world.topic(Topics.cameraDetections);
      // A poll far beyond the wait below: only the notification can bring the rows to Kafka in time.
      const relay = new OutboxRelay({
        dataSource: world.dataSource,
        sender: world.producer(),
        pollIntervalMs: 600_000,
      });
      world.stopAtTearDown(relay);
      await world.dataSource.transaction((manager) => outbox.enqueue(manager, topic, [aDetection('cam-w0')]));
      await relay.start();
      // The relay listens before its first claim: once the outbox is empty, it is listening.
      await waitFor(async () => (await count('outbox')) === 0, { what: 'the first claim' });

      const event = aDetection('cam-w1');
      await insertWithRows('w-wakes', topic, [event]);

      await waitFor(async () => (await count('outbox')) === 0, {
        what: 'the relay to wake',
        timeoutMs: 20_000,
      });
      await relay.stop();
      const published = (await readTopic(topic)).filter((r) => r.headers.ce_id === event.id);
      expect(published).toHaveLength(1);
    });
  });
});
