import { encodeKafkaMessage, Topics } from '@ioc/contracts';
import { type LiveEvent, LiveReaderFactory, TopicNames } from '@ioc/messaging';
import { kafkaBrokers, uniqueSuffix, waitFor, provisionSuffixedTopics } from '@ioc/testing';
import type { Kafka, Producer } from 'kafkajs';
import { register } from 'prom-client';
import { aDetection } from './fixtures/events';
import { deleteTopics, testKafka } from './fixtures/harness';

jest.setTimeout(60_000);

/** Two instances of a Kafka-only service, each reading every partition of a live topic on its own. */
describe(LiveReaderFactory.name, () => {
  const suffix = uniqueSuffix();
  let kafka: Kafka;
  let producer: Producer;
  let topics: Record<string, string>;
  const factories: LiveReaderFactory[] = [];

  beforeAll(async () => {
    kafka = testKafka(kafkaBrokers(), 'live-reader-tests');
    topics = await provisionSuffixedTopics(suffix, { partitions: { [Topics.cameraDetections]: 3 } });
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.all(factories.map((factory) => factory.stopAll()));
    await producer?.disconnect();
    await deleteTopics(kafka, Object.values(topics));
  });

  const instance = () => {
    const factory = new LiveReaderFactory({ kafka, topics: new TopicNames(suffix) });
    factories.push(factory);
    return factory;
  };

  const counter = async (name: string, labels: Record<string, string>) =>
    (await register.getSingleMetric(name)?.get())?.values.find((value) =>
      Object.entries(labels).every(([key, expected]) => value.labels[key] === expected),
    )?.value ?? 0;

  // The events the first test publishes past the warm-up; the replay test reads them again.
  const published: string[] = [];
  const WARM_UP = 'cam-live-warm-up';
  const real = (lives: readonly LiveEvent[]) =>
    lives.filter((live) => (live.event.data as { cameraId: string }).cameraId !== WARM_UP);

  it('hands every instance every valid event with its position, skips what is not an event, and outlives a failing handler', async () => {
    const seen: LiveEvent[][] = [[], []];
    let failOnce = true;
    const readers = [0, 1].map((i) =>
      instance().create({
        name: `live-test-${i}`,
        topics: [Topics.cameraDetections],
        onEvents: (events) => {
          const failing = events.some(
            (live) => (live.event.data as { cameraId: string }).cameraId === 'cam-live-fail',
          );
          if (i === 1 && failing && failOnce) {
            failOnce = false;
            throw new Error('a slow client went away');
          }
          seen[i].push(...events);
        },
      }),
    );
    await Promise.all(readers.map((reader) => reader.start()));
    expect(readers[0].groupId).not.toEqual(readers[1].groupId);

    // A reader that starts at the end takes that end at its first fetch, just after joining: warm-up events,
    // until each instance has read one, make sure both read from here on.
    const topic = topics[Topics.cameraDetections];
    await waitFor(
      async () => {
        if (seen.every((lives) => lives.length > 0)) return true;
        await producer.send({
          topic,
          messages: [{ ...encodeKafkaMessage(aDetection(WARM_UP)), partition: 0 }],
        });
        return false;
      },
      { what: 'both instances to read a warm-up event' },
    );

    const first = aDetection('cam-live-fail');
    await producer.send({ topic, messages: [{ ...encodeKafkaMessage(first), partition: 0 }] });
    await waitFor(
      async () =>
        real(seen[0]).length === 1 &&
        (await counter('ioc_live_failed_total', { reader: 'live-test-1', topic })) === 1,
      { what: 'instance 0 to see the first event, instance 1 to drop it' },
    );

    const events = [1, 2, 3, 4, 5, 6].map((n) => aDetection(`cam-live-${n % 3}`, { seq: n }));
    await producer.send({
      topic,
      messages: [
        { key: 'bad', value: Buffer.from('not json'), partition: 1 },
        ...events.map((event, n) => ({ ...encodeKafkaMessage(event), partition: n % 3 })),
      ],
    });
    published.push(...[first, ...events].map((e) => e.id));

    await waitFor(async () => real(seen[0]).length === 7 && real(seen[1]).length >= 6, {
      what: 'both instances to read on',
    });
    expect(new Set(real(seen[0]).map((live) => live.event.id))).toEqual(new Set(published));
    // Instance 1's handler threw on the batch with the first event: dropped, and it read on.
    expect(new Set(real(seen[1]).map((live) => live.event.id))).toEqual(new Set(events.map((e) => e.id)));
    for (const live of seen[0]) {
      expect(live.topic).toBe(topic);
      expect(Number(live.offset)).toBeGreaterThanOrEqual(0);
    }
    // Per partition, in offset order.
    for (const partition of [0, 1, 2]) {
      const offsets = seen[0]
        .filter((live) => live.partition === partition)
        .map((live) => Number(live.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
    expect(
      await counter('ioc_live_skipped_total', { reader: 'live-test-0', topic, reason: 'payload.not_json' }),
    ).toBe(1);
    expect(await counter('ioc_live_failed_total', { reader: 'live-test-1', topic })).toBe(1);
    expect(factories.flatMap((factory) => factory.healthProblems())).toEqual([]);

    await factories[0].stopAll();
    expect(factories[0].healthProblems()).toEqual(['live reader live-test-0 is stopped']);
  });

  it('starts at the beginning when asked, for a snapshot of a compacted topic', async () => {
    const seen: LiveEvent[] = [];
    const reader = instance().create({
      name: 'live-test-replay',
      topics: [Topics.cameraDetections],
      fromBeginning: true,
      onEvents: (events) => void seen.push(...events),
    });
    await reader.start();
    await waitFor(async () => published.every((id) => seen.some((live) => live.event.id === id)), {
      what: 'the whole topic from its beginning',
    });
    expect(real(seen)).toHaveLength(published.length);
  });

  it('goes on from where it was when its consumer joins its group again, handing nothing on twice', async () => {
    const seen: LiveEvent[] = [];
    const reader = instance().create({
      name: 'live-test-rejoin',
      topics: [Topics.cameraDetections],
      fromBeginning: true,
      onEvents: (events) => void seen.push(...events),
    });
    await reader.start();
    const topic = topics[Topics.cameraDetections];
    await waitFor(() => published.every((id) => seen.some((live) => live.event.id === id)), {
      what: 'the topic read from its beginning',
    });
    const before = seen.length;

    // Another member joins the reader's group and leaves: the group rebalances twice, and kafkajs makes the
    // reader's consumer join again each time, as it does when the broker comes back (with nothing committed,
    // from `fromBeginning` unless the reader says where it was).
    const intruder = kafka.consumer({ groupId: reader.groupId });
    await intruder.connect();
    await intruder.subscribe({ topics: [topic], fromBeginning: true });
    const intruderJoined = new Promise((resolve) => intruder.on(intruder.events.GROUP_JOIN, resolve));
    await intruder.run({ autoCommit: false, eachBatch: async () => undefined });
    await intruderJoined;
    await intruder.disconnect();

    const after = [1, 2, 3].map((n) => aDetection(`cam-live-after-${n}`, { seq: n }));
    await producer.send({
      topic,
      messages: after.map((event, n) => ({ ...encodeKafkaMessage(event), partition: n % 3 })),
    });
    await waitFor(() => after.every((event) => seen.some((live) => live.event.id === event.id)), {
      timeoutMs: 45_000,
      what: 'the events published after the rejoin',
    });
    const ids = seen.map((live) => `${live.partition}:${live.offset}`);
    expect(ids).toHaveLength(new Set(ids).size);
    expect(seen).toHaveLength(before + after.length);
    for (const partition of [0, 1, 2]) {
      const offsets = seen.filter((live) => live.partition === partition).map((live) => Number(live.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
  });
});
