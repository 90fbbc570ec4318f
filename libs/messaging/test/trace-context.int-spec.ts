import { encodeKafkaMessage, type KnownIocEvent, Topics } from '@ioc/contracts';
import { type BatchConsumerRunnerOptions, type MessagingLogger, PoisonMessageError } from '@ioc/messaging';
import { currentCorrelationId, currentTraceparent, parseTraceparent } from '@ioc/observability';
import { waitFor } from '@ioc/testing';
import { useMessagingWorld } from './fixtures/messaging-world';
import { aDetection } from './fixtures/events';

jest.setTimeout(90_000);

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = (span: string) => `00-${TRACE_ID}-${span}-01`;

/** Where a handler ran: the flow it saw as current. */
interface Seen {
  correlationId: string | undefined;
  traceparent: string | undefined;
}

/**
 * The runner restores each consumed event's flow (docs/architecture.md, "Tracing across Kafka"): a handler
 * runs with the event's correlation id and a new span of its trace, so its logs and the events it writes
 * carry them; a set-wise call runs in its events' flow when they share one, else in a new one it logs.
 */
describe('a consumer handles each event in the flow the event carries', () => {
  const world = useMessagingWorld({ schema: 'trace', partitions: { [Topics.dlq]: 1 } });
  const { suffix } = world;
  const producer = world.producer();
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const logger: MessagingLogger = {
    debug: (fields, message) => lines.push({ level: 'debug', fields, message }),
    info: (fields, message) => lines.push({ level: 'info', fields, message }),
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
    error: (fields, message) => lines.push({ level: 'error', fields, message }),
  };

  /** A one-partition topic holding `events` (sent in one request, so fetched in one batch), unstamped. */
  async function topicWith(name: string, events: KnownIocEvent[]): Promise<string> {
    const topic = await world.ownTopic(name);
    await producer.sendRecords(events.map((event) => ({ topic, ...encodeKafkaMessage(event) })));
    return topic;
  }

  async function run(
    name: string,
    topic: string,
    options: Partial<BatchConsumerRunnerOptions>,
  ): Promise<void> {
    const runner = world.runner({ consumerName: `${name}-${suffix}`, topics: [topic], logger, ...options });
    await runner.start();
  }

  const here = (): Seen => ({ correlationId: currentCorrelationId(), traceparent: currentTraceparent() });

  it("runs each event's handler in its flow, in a new span whose parent is the event's", async () => {
    const traced = {
      ...aDetection('cam-1'),
      correlationid: 'flow-a',
      traceparent: traceparent('00f067aa0ba902b7'),
    };
    const bare = aDetection('cam-2');
    const topic = await topicWith('each', [traced, bare]);
    const seen = new Map<string, Seen>();

    await run('each', topic, {
      handler: async (event) => {
        await new Promise((resolve) => setImmediate(resolve));
        seen.set(event.id, here());
      },
    });

    await waitFor(() => seen.size === 2, { what: 'both events handled' });
    const a = seen.get(traced.id);
    expect(a?.correlationId).toBe('flow-a');
    expect(parseTraceparent(a?.traceparent)).toMatchObject({ traceId: TRACE_ID, sampled: true });
    expect(parseTraceparent(a?.traceparent)?.spanId).not.toBe('00f067aa0ba902b7');
    const b = seen.get(bare.id);
    expect(b?.correlationId).toEqual(expect.any(String));
    expect(b?.correlationId).not.toBe('flow-a');
    expect(parseTraceparent(b?.traceparent)?.traceId).not.toBe(TRACE_ID);
  });

  it('runs a set-wise call in the flow its events share', async () => {
    const events = [1, 2].map((n) => ({
      ...aDetection(`cam-${n}`),
      correlationid: 'flow-b',
      traceparent: traceparent('00f067aa0ba902b7'),
    }));
    const topic = await topicWith('shared', events);
    const calls: { ids: string[]; seen: Seen }[] = [];

    await run('shared', topic, {
      batchHandler: async (consumed) => {
        calls.push({ ids: consumed.map((c) => c.event.id), seen: here() });
      },
    });

    await waitFor(() => calls.flatMap((c) => c.ids).length === 2, { what: 'both events handled' });
    for (const { seen } of calls) {
      expect(seen.correlationId).toBe('flow-b');
      expect(parseTraceparent(seen.traceparent)?.traceId).toBe(TRACE_ID);
    }
  });

  it('runs a set-wise call over several flows in a new one, and logs which flows it joins', async () => {
    const events = ['flow-c', 'flow-d'].map((flow, n) => ({
      ...aDetection(`cam-${n}`),
      correlationid: flow,
    }));
    const topic = await topicWith('mixed', events);
    const calls: { ids: string[]; seen: Seen }[] = [];

    await run('mixed', topic, {
      batchHandler: async (consumed) => {
        calls.push({ ids: consumed.map((c) => c.event.id), seen: here() });
      },
    });

    await waitFor(() => calls.flatMap((c) => c.ids).length === 2, { what: 'both events handled' });
    expect(calls).toHaveLength(1);
    const [{ seen }] = calls;
    expect(['flow-c', 'flow-d']).not.toContain(seen.correlationId);
    expect(lines).toContainEqual({
      level: 'debug',
      fields: { consumer: `mixed-${suffix}`, correlationIds: ['flow-c', 'flow-d'] },
      message: 'handling events of several flows in one call',
    });
  });

  it("says a dead-lettered event's correlation id", async () => {
    const event = { ...aDetection('cam-p'), correlationid: 'flow-poison' };
    const topic = await topicWith('poison', [event]);

    await run('poison', topic, {
      handler: async () => {
        throw new PoisonMessageError('TEST.REFUSED', 'refused by the test');
      },
    });

    await waitFor(
      () => lines.some((l) => l.message === 'message dead-lettered' && l.fields['topic'] === topic),
      {
        what: 'the dead-letter log line',
      },
    );
    expect(
      lines.find((l) => l.message === 'message dead-lettered' && l.fields['topic'] === topic)?.fields,
    ).toMatchObject({
      correlationId: 'flow-poison',
      reason: 'TEST.REFUSED',
    });
  });
});
