import { qualifiedTable } from '@ioc/database';
import { EventProducer, Outbox, OutboxRelay } from '@ioc/messaging';
import { databaseUrl, kafkaBrokers, waitFor, readTopic } from '@ioc/testing';
import { useMessagingWorld } from './fixtures/messaging-world';
import { aDetection } from './fixtures/events';
import { exited, runFixture } from './fixtures/harness';

// The project's testTimeout is a per-project option jest-circus does not read; set it for this file.
jest.setTimeout(90_000);

const EVENTS = 5_000;
const CAMERAS = 250;
const BATCH = 500;
const KILL_AFTER_BATCHES = 3;

describe('outbox relay killed with SIGKILL', () => {
  const world = useMessagingWorld({ schema: 'relaykill' });
  const { kafka, schema } = world;

  async function outboxRows(): Promise<number> {
    const [{ n }] = await world.dataSource.query(
      `SELECT count(*)::int AS n FROM ${qualifiedTable(world.dataSource, 'outbox')}`,
    );
    return n as number;
  }

  it.each([
    ['after the broker acknowledged a batch, before its delete committed', 'acked'],
    ['while a batch is being sent, before its acknowledgement', 'in-flight'],
  ])('loses nothing when killed %s', async (_when, mode) => {
    const topic = await world.ownTopic(mode, 3);
    const events = Array.from({ length: EVENTS }, (_, i) =>
      aDetection(`cam-${i % CAMERAS}`, { seq: Math.floor(i / CAMERAS) + 1 }),
    );
    await world.dataSource.transaction((manager) => new Outbox().enqueue(manager, topic, events));

    const child = runFixture('relay.fixture.ts', {
      DATABASE_URL: databaseUrl(),
      KAFKA_BROKERS: kafkaBrokers().join(','),
      SCHEMA: schema,
      BATCH_SIZE: String(BATCH),
      KILL_AFTER_BATCHES: String(KILL_AFTER_BATCHES),
      KILL_MODE: mode,
    });
    expect(await exited(child)).toBe('SIGKILL');
    // The batch the relay died in was never deleted: Postgres rolled its transaction back.
    expect(await outboxRows()).toBe(EVENTS - (KILL_AFTER_BATCHES - 1) * BATCH);

    const producer = EventProducer.create(kafka);
    const relay = new OutboxRelay({ dataSource: world.dataSource, sender: producer, batchSize: BATCH });
    await relay.start();
    try {
      await waitFor(async () => (await outboxRows()) === 0, { what: 'the new relay to drain the outbox' });
    } finally {
      await relay.stop();
      await producer.disconnect();
    }

    const records = await readTopic(topic);
    const ids = records.map((record) => record.headers.ce_id);
    const distinct = new Set(ids);
    const duplicates = ids.length - distinct.size;
    console.info(
      `relay killed ${mode}: ${EVENTS} events, ${ids.length} records on Kafka, ${duplicates} duplicates`,
    );
    expect(distinct).toEqual(new Set(events.map((event) => event.id)));
    if (mode === 'acked') expect(duplicates).toBe(BATCH);
    else expect(duplicates).toBeLessThanOrEqual(BATCH);

    // A consumer that skips ids it has seen still gets each camera's events in order.
    const firstSeen = new Set<string>();
    const seqs = new Map<string, number[]>();
    for (const record of [...records].sort(
      (a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset),
    )) {
      if (firstSeen.has(record.headers.ce_id)) continue;
      firstSeen.add(record.headers.ce_id);
      const { attributes } = JSON.parse(String(record.value)) as { attributes: { seq: number } };
      seqs.set(record.key as string, [...(seqs.get(record.key as string) ?? []), attributes.seq]);
    }
    const inOrder = Array.from({ length: EVENTS / CAMERAS }, (_, i) => i + 1);
    for (const [camera, seen] of seqs) expect({ camera, seen }).toEqual({ camera, seen: inOrder });
  });
});
