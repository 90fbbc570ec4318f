import { encodeKafkaMessage, Topics, type KnownIocEvent } from '@ioc/contracts';
import { qualifiedTable } from '@ioc/database';
import { DlqHeaders, type ConsumedEvent, type OutboundRecord } from '@ioc/messaging';
import { readTopic, waitFor } from '@ioc/testing';
import { aDetection } from './fixtures/events';
import { applyDetection } from './fixtures/harness';
import { useMessagingWorld } from './fixtures/messaging-world';

// The project's testTimeout is a per-project option jest-circus does not read; set it for this file.
jest.setTimeout(90_000);

const PARTITIONS = 6;

/**
 * Group commit (`groupCommit`): chunks of the partitions consumed concurrently go into one transaction and one
 * handler call, each partition's events in offset order; a merged transaction that fails leaves each chunk to
 * be applied alone, so a bad event is still isolated and nothing is applied twice or lost.
 */
describe('group commit of several partitions', () => {
  const world = useMessagingWorld({ schema: 'group', partitions: { [Topics.dlq]: 1 } });
  const { schema, suffix } = world;
  const producer = world.producer();

  /** Detections of 24 cameras (keys spread over the partitions), 10 each, and what the handler was called with. */
  function scenario(name: string, options: { bugCamera?: string } = {}) {
    const events = Array.from({ length: 240 }, (_, i) => aDetection(`cam-${i % 24}`, { seq: i }));
    const calls: ConsumedEvent[][] = [];
    const consumerName = `${name}-${suffix}`;
    const start = async (topic: string) => {
      const runner = world.runner({
        consumerName,
        topics: [topic],
        partitionsConsumedConcurrently: PARTITIONS,
        groupCommit: true,
        retry: { initialMs: 20, maxMs: 100, maxAttempts: 5 },
        batchHandler: async (consumed, { manager }) => {
          calls.push([...consumed]);
          for (const { event } of consumed) {
            if ((event.data as { cameraId: string }).cameraId === options.bugCamera)
              throw new TypeError("Cannot read properties of undefined (reading 'x')");
            await applyDetection(manager, schema, event);
          }
        },
      });
      await runner.start();
      return runner;
    };
    return { events, calls, consumerName, start };
  }

  const records = (topic: string, events: KnownIocEvent[]): OutboundRecord[] =>
    events.map((event) => ({ topic, ...encodeKafkaMessage(event) }));

  /** The ids of `events` applied, once per time applied. */
  async function appliedOf(events: readonly KnownIocEvent[]): Promise<string[]> {
    const rows: { event_id: string }[] = await world.dataSource.query(
      `SELECT event_id FROM ${qualifiedTable(world.dataSource, 'applied')} WHERE event_id = ANY($1)`,
      [events.map((e) => e.id)],
    );
    return rows.map((row) => row.event_id);
  }

  it('applies the chunks of several partitions in one call, each partition in offset order, each event once', async () => {
    const topic = await world.ownTopic('merged', PARTITIONS);
    const { events, calls, start } = scenario('merged');
    // A copy of one event under another key, so on another partition: a duplicate within a merged transaction.
    const copy = { ...records(topic, [events[0]])[0], key: 'another-key' };
    await producer.sendRecords([...records(topic, events), copy]);

    await start(topic);
    await waitFor(async () => (await appliedOf(events)).length >= events.length, {
      what: 'every event to be applied',
    });

    const applied = await appliedOf(events);
    expect(applied).toHaveLength(events.length);
    expect(new Set(applied)).toEqual(new Set(events.map((e) => e.id)));
    // The first two chunks run at once, alone; those that waited meanwhile go together.
    expect(calls.some((call) => new Set(call.map((c) => c.partition)).size > 1)).toBe(true);
    for (const call of calls)
      for (let p = 0; p < PARTITIONS; p += 1) {
        const offsets = call.filter((c) => c.partition === p).map((c) => BigInt(c.offset));
        expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }
  });

  it('applies each chunk alone when a merged transaction fails, and dead-letters only the event that fails on its own', async () => {
    const topic = await world.ownTopic('fallback', PARTITIONS);
    const { events, consumerName, start } = scenario('fallback', { bugCamera: 'cam-7' });
    await producer.sendRecords(records(topic, events));

    const runner = await start(topic);
    const bugs = events.filter((e) => e.data.cameraId === 'cam-7');
    const letters = await waitFor(async () => {
      const found = (await readTopic(world.topic(Topics.dlq))).filter(
        (l) => l.headers[DlqHeaders.consumer] === consumerName,
      );
      return found.length >= bugs.length && found;
    });
    const good = events.filter((e) => e.data.cameraId !== 'cam-7');
    await waitFor(async () => (await appliedOf(good)).length >= good.length, {
      what: 'every other event to be applied',
    });

    expect((await appliedOf(good)).sort()).toEqual(good.map((e) => e.id).sort());
    expect(await appliedOf(bugs)).toEqual([]);
    expect(letters.map((l) => l.headers.ce_id).sort()).toEqual(bugs.map((b) => b.id).sort());
    expect(new Set(letters.map((l) => l.headers[DlqHeaders.reason]))).toEqual(new Set(['handler.failed']));
    expect(runner.healthProblems()).toEqual([]);
  });
});
