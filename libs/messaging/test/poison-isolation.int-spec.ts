import { encodeKafkaMessage, Topics, type KnownIocEvent } from '@ioc/contracts';
import { qualifiedTable } from '@ioc/database';
import {
  BatchConsumerRunner,
  DlqHeaders,
  KafkaReadiness,
  messagingMetrics,
  type BatchConsumerRunnerOptions,
  type ConsumeContext,
  type OutboundRecord,
} from '@ioc/messaging';
import { waitFor, readTopic } from '@ioc/testing';
import { useMessagingWorld } from './fixtures/messaging-world';
import { aDetection } from './fixtures/events';
import { applyDetection } from './fixtures/harness';

// The project's testTimeout is a per-project option jest-circus does not read; set it for this file.
jest.setTimeout(90_000);

/**
 * One bad message must never hold its partition: a message that fails deterministically is isolated from
 * its chunk by bisection and dead-lettered, the rest of the chunk is applied once, the partition moves on;
 * a transient fault is retried without committing, and shows in readiness while it lasts.
 */
describe('a failing message is isolated from its chunk; a transient fault is retried', () => {
  const world = useMessagingWorld({ schema: 'poison', partitions: { [Topics.dlq]: 1 } });
  const { kafka, schema, suffix } = world;
  const producer = world.producer();

  beforeAll(async () => {
    // A column a message can break in two deterministic ways: too long (22001), or refused by a CHECK (23514).
    await world.dataSource.query(
      `CREATE TABLE ${qualifiedTable(world.dataSource, 'notes')} (
         event_id text PRIMARY KEY,
         note varchar(16) NOT NULL CHECK (note <> 'forbidden'))`,
    );
  });

  function startRunner(
    name: string,
    topic: string,
    options: Partial<BatchConsumerRunnerOptions>,
  ): Promise<BatchConsumerRunner> {
    const runner = world.runner({
      consumerName: `${name}-${suffix}`,
      topics: [topic],
      retry: { initialMs: 20, maxMs: 100, maxAttempts: 5 },
      ...options,
    });
    return runner.start().then(() => runner);
  }

  const records = (topic: string, events: KnownIocEvent[]): OutboundRecord[] =>
    events.map((event) => ({ topic, ...encodeKafkaMessage(event) }));

  async function appliedIds(): Promise<string[]> {
    const rows: { event_id: string }[] = await world.dataSource.query(
      `SELECT event_id FROM ${qualifiedTable(world.dataSource, 'applied')} ORDER BY position`,
    );
    return rows.map((row) => row.event_id);
  }

  async function lettersOf(consumer: string) {
    return (await readTopic(world.topic(Topics.dlq))).filter(
      (l) => l.headers[DlqHeaders.consumer] === consumer,
    );
  }

  it('dead-letters the messages a Postgres data or integrity error refuses, and applies the rest of the chunk once', async () => {
    const topic = await world.ownTopic('sql');
    const note = (text: string) => aDetection('cam-note', { attributes: { note: text } });
    const events = [
      note('first'),
      note('a note far longer than sixteen characters'),
      note('third'),
      note('forbidden'),
      note('fifth'),
    ];
    // All in one send before the consumer starts, so that they arrive as one chunk.
    await producer.sendRecords(records(topic, events));

    const runner = await startRunner('sql', topic, {
      handler: async (event: KnownIocEvent, context: ConsumeContext) => {
        await applyDetection(context.manager, schema, event);
        const { note: text } = (event.data as unknown as { attributes: { note: string } }).attributes;
        await context.manager.query(
          `INSERT INTO ${qualifiedTable(context.manager, 'notes')} (event_id, note) VALUES ($1, $2)`,
          [event.id, text],
        );
      },
    });
    const consumer = `sql-${suffix}`;
    await waitFor(async () => (await appliedIds()).includes(events[4].id), {
      what: 'the messages behind the bad ones to be applied',
    });
    const letters = await waitFor(async () => {
      const found = await lettersOf(consumer);
      return found.length >= 2 && found;
    });

    expect(await appliedIds()).toEqual([events[0].id, events[2].id, events[4].id]);
    expect(letters.map((l) => [l.headers[DlqHeaders.reason], l.headers[DlqHeaders.sourceOffset]])).toEqual([
      ['db.data_exception.22001', '1'],
      ['db.integrity_violation.23514', '3'],
    ]);
    expect(letters[0].headers[DlqHeaders.detail]).toMatch(/SQLSTATE 22001/);
    expect(letters[1].headers[DlqHeaders.detail]).toMatch(/SQLSTATE 23514.*notes_note_check/);
    for (const [letter, index] of [
      [letters[0], 1],
      [letters[1], 3],
    ] as const) {
      expect(letter.headers.ce_id).toBe(events[index].id);
      expect(letter.value?.equals(encodeKafkaMessage(events[index]).value as Buffer)).toBe(true);
    }

    // A redelivered poison id is skipped by the inbox (no second letter); the next valid event is applied.
    const after = note('after');
    await producer.sendRecords(records(topic, [events[1], after]));
    await waitFor(async () => (await appliedIds()).includes(after.id), {
      what: 'the event after the resend',
    });
    expect(await appliedIds()).toEqual([events[0].id, events[2].id, events[4].id, after.id]);
    expect(await lettersOf(consumer)).toHaveLength(2);
    const inbox: { event_id: string; outcome: string }[] = await world.dataSource.query(
      `SELECT event_id, outcome FROM ${qualifiedTable(world.dataSource, 'inbox')} WHERE consumer = $1`,
      [consumer],
    );
    expect(Object.fromEntries(inbox.map((row) => [row.event_id, row.outcome]))).toEqual({
      [events[0].id]: 'applied',
      [events[1].id]: 'dead-lettered',
      [events[2].id]: 'applied',
      [events[3].id]: 'dead-lettered',
      [events[4].id]: 'applied',
      [after.id]: 'applied',
    });
    // Poison is handled, not a health problem.
    expect(runner.healthProblems()).toEqual([]);
  });

  it('dead-letters a message whose handler always throws, after it failed again on its own', async () => {
    const topic = await world.ownTopic('bug');
    const events = Array.from({ length: 7 }, (_, i) => aDetection(i === 4 ? 'cam-bug' : `cam-${i}`));
    await producer.sendRecords(records(topic, events));
    const bugCalls: number[] = [];

    await startRunner('bug', topic, {
      handler: async (event: KnownIocEvent, context: ConsumeContext) => {
        if ((event.data as { cameraId: string }).cameraId === 'cam-bug') {
          bugCalls.push(1);
          // A bug that only this message's data triggers; the message must not quote it into the DLQ.
          throw new TypeError('Cannot read properties of undefined (reading 0912345678)');
        }
        await applyDetection(context.manager, schema, event);
      },
    });
    const consumer = `bug-${suffix}`;
    await waitFor(async () => (await appliedIds()).includes(events[6].id), {
      what: 'the messages behind the failing one to be applied',
    });
    const letters = await waitFor(async () => {
      const found = await lettersOf(consumer);
      return found.length > 0 && found;
    });

    const applied = await appliedIds();
    expect(applied.filter((id) => events.some((e) => e.id === id))).toEqual(
      events.filter((_, i) => i !== 4).map((e) => e.id),
    );
    expect(letters).toHaveLength(1);
    expect(letters[0].headers).toMatchObject({
      ce_id: events[4].id,
      [DlqHeaders.reason]: 'handler.failed',
      [DlqHeaders.detail]: 'TypeError',
      [DlqHeaders.sourceOffset]: '4',
    });
    // Failed in the chunk of 7, in each half that held it ([4..6], [4, 5]), and once more on its own.
    expect(bugCalls).toHaveLength(4);
  });

  it('retries a transient fault without committing, is not ready while it lasts too long, then applies once', async () => {
    const topic = await world.ownTopic('outage');
    const consumer = `outage-${suffix}`;
    let outage = true;
    let attempts = 0;
    const events = [aDetection('cam-outage-1'), aDetection('cam-outage-2')];
    await producer.sendRecords(records(topic, events));

    const runner = await startRunner('outage', topic, {
      retry: { initialMs: 20, maxMs: 100, maxAttempts: 10_000 },
      health: { retryingLimitMs: 300, stalledLimitMs: 60_000 },
      handler: async (event: KnownIocEvent, context: ConsumeContext) => {
        if (outage) {
          attempts += 1;
          // A real connection loss: Postgres ends this transaction's session (SQLSTATE 57P01).
          await context.manager.query('SELECT pg_terminate_backend(pg_backend_pid())');
        }
        await applyDetection(context.manager, schema, event);
      },
    });
    const readiness = new KafkaReadiness(kafka, 5_000, runner);
    try {
      const notReady = await waitFor(
        () =>
          readiness.check().then(
            () => undefined,
            (error: unknown) => error as Error,
          ),
        { what: 'readiness to report the retrying consumer' },
      );
      expect(notReady).toMatchObject({ code: 'MESSAGING.CONSUMER_UNHEALTHY' });
      expect(notReady.message).toMatch(new RegExp(`${consumer}.*retrying.*${topic}\\[0\\]`));
      const stalled = await messagingMetrics().secondsSinceProgress.get();
      expect(stalled.values.find((v) => v.labels.group === consumer)?.value).toBeGreaterThan(0);
      expect(await appliedIds()).not.toContain(events[0].id);
      expect(attempts).toBeGreaterThan(1);

      outage = false;
      await waitFor(async () => (await appliedIds()).includes(events[1].id), {
        what: 'the events once the fault is gone',
      });
      await waitFor(() => readiness.check().then(() => true), { what: 'readiness once the fault is gone' });

      const applied = await appliedIds();
      expect(applied.filter((id) => id === events[0].id || id === events[1].id)).toEqual([
        events[0].id,
        events[1].id,
      ]);
      expect(await lettersOf(consumer)).toEqual([]);
      const retries = await messagingMetrics().retries.get();
      expect(retries.values.find((v) => v.labels.consumer === consumer)?.value).toBeGreaterThan(0);
      const progress = await messagingMetrics().secondsSinceProgress.get();
      expect(progress.values.find((v) => v.labels.group === consumer)?.value).toBe(0);

      // A consumer that no longer runs is not ready either.
      await runner.stop();
      await expect(readiness.check()).rejects.toThrow(new RegExp(`${consumer}.*stopped`));
    } finally {
      await readiness.close();
    }
  });
});
