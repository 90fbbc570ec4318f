import { Topics } from '@ioc/contracts';
import { qualifiedTable } from '@ioc/database';
import {
  BatchConsumerRunner,
  DeadLetterPublisher,
  EventProducer,
  Outbox,
  OutboxRelay,
  RecordSender,
  type OutboundRecord,
  type RetryOptions,
} from '@ioc/messaging';
import {
  databaseUrl,
  kafkaBrokers,
  uniqueSchema,
  uniqueSuffix,
  waitFor,
  readTopic,
  provisionSuffixedTopics,
} from '@ioc/testing';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { aDetection } from './fixtures/events';
import { aDatabase, applyDetection, deleteTopics, dropDatabase, testKafka } from './fixtures/harness';

// The project's testTimeout is a per-project option jest-circus does not read; set it for this file.
jest.setTimeout(60_000);

const session = { sessionTimeout: 6_000, heartbeatInterval: 300, rebalanceTimeout: 6_000 };
const retry: RetryOptions = { initialMs: 50, maxMs: 500, maxAttempts: 5 };

describe('transactional outbox', () => {
  const schema = uniqueSchema('outbox');
  const suffix = uniqueSuffix();
  const outbox = new Outbox();
  let dataSource: DataSource;
  let kafka: Kafka;
  let topics: Record<string, string>;
  const stoppables: { stop(): Promise<void> }[] = [];
  const producers: EventProducer[] = [];

  beforeAll(async () => {
    kafka = testKafka(kafkaBrokers());
    [dataSource, topics] = await Promise.all([
      aDatabase(schema, databaseUrl()),
      provisionSuffixedTopics(suffix, { partitions: { [Topics.cameraDetections]: 4, [Topics.dlq]: 1 } }),
    ]);
  });

  afterAll(async () => {
    await Promise.all(stoppables.map((s) => s.stop()));
    await Promise.all(producers.map((p) => p.disconnect()));
    await dropDatabase(dataSource);
    await deleteTopics(kafka, Object.values(topics));
  });

  function aProducer(): EventProducer {
    const producer = EventProducer.create(kafka);
    producers.push(producer);
    return producer;
  }

  async function count(table: string, where = 'true'): Promise<number> {
    const [{ n }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM ${qualifiedTable(dataSource, table)} WHERE ${where}`,
    );
    return n as number;
  }

  it('commits a state change and its event together, or neither', async () => {
    const committed = aDetection('cam-commit');
    const rolledBack = aDetection('cam-rollback');

    await dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO ${qualifiedTable(manager, 'widgets')} (id) VALUES ('w-commit')`);
      await outbox.enqueue(manager, topics[Topics.cameraDetections], [committed]);
    });
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.query(`INSERT INTO ${qualifiedTable(manager, 'widgets')} (id) VALUES ('w-rollback')`);
        await outbox.enqueue(manager, topics[Topics.cameraDetections], [rolledBack]);
        throw new Error('the service rule failed after the write');
      }),
    ).rejects.toThrow('the service rule failed');

    expect(await count('widgets', `id = 'w-commit'`)).toBe(1);
    expect(await count('outbox', `event_id = '${committed.id}'`)).toBe(1);
    expect(await count('widgets', `id = 'w-rollback'`)).toBe(0);
    expect(await count('outbox', `event_id = '${rolledBack.id}'`)).toBe(0);

    // Published by a relay, the row leaves the outbox and the event is on Kafka.
    const relay = new OutboxRelay({ dataSource, sender: aProducer(), pollIntervalMs: 200 });
    stoppables.push(relay);
    await relay.start();
    await waitFor(async () => (await count('outbox')) === 0, { what: 'the outbox to drain' });
    const records = await readTopic(topics[Topics.cameraDetections]);
    expect(records.map((r) => r.headers.ce_id)).toEqual([committed.id]);
    expect(records[0]).toMatchObject({ key: 'cam-commit', headers: { ce_subject: 'cam-commit' } });
    await relay.stop();
  });

  it('keeps each key in order across partitions: outbox → two relays → Kafka → two runners', async () => {
    const cameras = Array.from({ length: 40 }, (_, i) => `cam-${String(i).padStart(3, '0')}`);
    const perCamera = 25;
    const next = new Map(cameras.map((camera) => [camera, 1]));
    const relays = [1, 2].map(
      () => new OutboxRelay({ dataSource, sender: aProducer(), batchSize: 50, pollIntervalMs: 200 }),
    );
    stoppables.push(...relays);
    await Promise.all(relays.map((relay) => relay.start()));

    const dlq = new DeadLetterPublisher(aProducer(), { topic: topics[Topics.dlq] });
    const runners = [1, 2].map(
      () =>
        new BatchConsumerRunner({
          kafka,
          dataSource,
          groupId: `order-${suffix}`,
          consumerName: 'order-test',
          topics: [topics[Topics.cameraDetections]],
          handler: (event, { manager }) => applyDetection(manager, schema, event),
          dlq,
          retry,
          session,
          maxMessagesPerTransaction: 37,
        }),
    );
    stoppables.push(...runners);
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
      await dataSource.transaction((manager) =>
        outbox.enqueue(manager, topics[Topics.cameraDetections], events),
      );
      transactions += 1;
      if (transactions === 10) await runners[1].start();
    }

    const total = cameras.length * perCamera;
    await waitFor(async () => (await count('applied')) >= total, {
      what: `${total} applied events`,
      timeoutMs: 60_000,
    });

    const applied: { camera_id: string; seq: number }[] = await dataSource.query(
      `SELECT camera_id, seq FROM ${qualifiedTable(dataSource, 'applied')} WHERE seq IS NOT NULL ORDER BY position`,
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
    const topic = topics[Topics.cameraDetections];
    const producer = aProducer();
    const attempts: number[] = [];
    const flaky = new (class extends RecordSender {
      async sendRecords(records: readonly OutboundRecord[]): Promise<void> {
        attempts.push(records.length);
        if (attempts.length === 1) throw new Error('broker unavailable');
        await producer.sendRecords(records);
      }
    })();
    const events = ['cam-f1', 'cam-f2', 'cam-f3'].map((camera) => aDetection(camera));
    await dataSource.transaction((manager) => outbox.enqueue(manager, topic, events));

    const relay = new OutboxRelay({ dataSource, sender: flaky, pollIntervalMs: 50 });
    stoppables.push(relay);
    await relay.start();
    await waitFor(async () => (await count('outbox')) === 0, { what: 'the relay to recover' });
    await relay.stop();

    expect(attempts).toEqual([3, 3]);
    const ids = new Set(events.map((e) => e.id));
    const published = (await readTopic(topic)).filter((r) => ids.has(r.headers.ce_id));
    expect(new Set(published.map((r) => r.headers.ce_id))).toEqual(ids);
  });
});
