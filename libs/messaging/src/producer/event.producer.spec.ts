import { formatTraceparent, newTrace, runWithCorrelation } from '@ioc/observability';
import type { Producer, ProducerBatch } from 'kafkajs';
import { aDetection } from '../../test/fixtures/events';
import { EventProducer } from './event.producer';

class FakeProducer {
  readonly batches: ProducerBatch[] = [];
  connects = 0;
  disconnects = 0;

  async connect(): Promise<void> {
    this.connects += 1;
  }

  async disconnect(): Promise<void> {
    this.disconnects += 1;
  }

  async sendBatch(batch: ProducerBatch): Promise<void> {
    this.batches.push(batch);
  }
}

const record = (topic: string, key = 'k') => ({ topic, key, value: Buffer.from('{}'), headers: {} });

/** Producers made one after another; each request can be held, failed or let through by the test. */
class ProducerFactory {
  readonly made: HeldProducer[] = [];
  inFlight = 0;
  maxInFlight = 0;

  make = (): Producer => {
    const producer = new HeldProducer(this);
    this.made.push(producer);
    return producer as unknown as Producer;
  };
}

class HeldProducer extends FakeProducer {
  readonly waiting: { resolve(): void; reject(error: Error): void }[] = [];

  constructor(private readonly factory: ProducerFactory) {
    super();
  }

  override async sendBatch(batch: ProducerBatch): Promise<void> {
    this.batches.push(batch);
    this.factory.inFlight += 1;
    this.factory.maxInFlight = Math.max(this.factory.maxInFlight, this.factory.inFlight);
    try {
      await new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    } finally {
      this.factory.inFlight -= 1;
    }
  }
}

/** The keys a request carried, in order. */
function keysOf(batch: ProducerBatch): string[] {
  return (batch.topicMessages ?? []).flatMap((t) => t.messages.map((m) => String(m.key)));
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * `sends` queued while a first request is in flight, that first request then acknowledged: the sends now wait in
 * their merged request, the producer's second one (`factory.made[0].waiting[1]`).
 */
async function queuedBehindARequest(sends: ReturnType<typeof record>[][]) {
  const factory = new ProducerFactory();
  const sut = new EventProducer(factory.make);
  const first = sut.sendRecords([record('a', '0')]);
  await settle();
  const pending = sends.map((records) => sut.sendRecords(records));
  await settle();
  factory.made[0].waiting[0].resolve();
  await first;
  await settle();
  return { factory, pending };
}

describe(EventProducer.name, () => {
  function setup() {
    const fake = new FakeProducer();
    return { fake, sut: new EventProducer(() => fake as unknown as Producer) };
  }

  it('sends events in binary mode, keyed by subject, with acks from all replicas', async () => {
    const { fake, sut } = setup();
    const event = {
      ...aDetection('cam-7', { id: 'e-7' }),
      correlationid: 'corr-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };

    await sut.send('ioc.camera.detections.t', [event]);

    expect(fake.batches).toHaveLength(1);
    const [{ acks, topicMessages }] = fake.batches;
    expect(acks).toBe(-1);
    expect(topicMessages).toHaveLength(1);
    const [message] = topicMessages?.[0].messages ?? [];
    expect(topicMessages?.[0].topic).toBe('ioc.camera.detections.t');
    expect(message.key).toBe('cam-7');
    expect(JSON.parse(String(message.value))).toEqual(event.data);
    expect(message.headers).toMatchObject({
      ce_id: 'e-7',
      ce_correlationid: 'corr-1',
      ce_traceparent: event.traceparent,
      'content-type': 'application/json',
    });
  });

  it('stamps the current flow on events that carry none, whatever their topic', async () => {
    const { fake, sut } = setup();
    const trace = newTrace();

    await runWithCorrelation(
      'ingest-1',
      () =>
        sut.sendEvents([
          { topic: 'a', event: aDetection('cam-1') },
          { topic: 'b', event: aDetection('cam-2') },
        ]),
      trace,
    );

    const headers = fake.batches[0].topicMessages?.flatMap((t) => t.messages.map((m) => m.headers));
    expect(headers).toEqual([
      expect.objectContaining({ ce_correlationid: 'ingest-1', ce_traceparent: formatTraceparent(trace) }),
      expect.objectContaining({ ce_correlationid: 'ingest-1', ce_traceparent: formatTraceparent(trace) }),
    ]);
  });

  it('groups records by topic in one request and connects once', async () => {
    const { fake, sut } = setup();

    await sut.sendRecords([record('a'), record('b'), record('a')]);
    await sut.sendRecords([record('a')]);

    expect(fake.connects).toBe(1);
    expect(fake.batches[0].topicMessages?.map((t) => [t.topic, t.messages.length])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('sends nothing for an empty list', async () => {
    const { fake, sut } = setup();
    await sut.sendRecords([]);
    expect(fake.batches).toEqual([]);
  });

  describe('across a broker failure', () => {
    it('keeps one request in flight and sends what arrived meanwhile together, in arrival order', async () => {
      const factory = new ProducerFactory();
      const sut = new EventProducer(factory.make);
      const first = sut.sendRecords([record('a', '1')]);
      await settle();
      const later = [
        sut.sendRecords([record('a', '2')]),
        sut.sendRecords([record('b', '3'), record('a', '4')]),
      ];
      await settle();

      const [producer] = factory.made;
      expect(producer.batches).toHaveLength(1);
      producer.waiting[0].resolve();
      await first;
      await settle();
      expect(producer.batches).toHaveLength(2);
      expect(keysOf(producer.batches[1]).sort()).toEqual(['2', '3', '4']);
      expect(
        producer.batches[1].topicMessages?.find((t) => t.topic === 'a')?.messages.map((m) => m.key),
      ).toEqual(['2', '4']);
      producer.waiting[1].resolve();
      await Promise.all(later);
      expect(factory.maxInFlight).toBe(1);
    });

    it('fails every send of a failed request and retires the producer: the next request has a new one', async () => {
      const factory = new ProducerFactory();
      const sut = new EventProducer(factory.make);
      const first = sut.sendRecords([record('a', '1')]);
      await settle();
      const second = sut.sendRecords([record('a', '2')]);
      const third = sut.sendRecords([record('a', '3')]);
      await settle();
      const [old] = factory.made;
      old.waiting[0].reject(
        Object.assign(new Error('Connection error'), { name: 'KafkaJSNumberOfRetriesExceeded' }),
      );
      await expect(first).rejects.toThrow('Connection error');
      await settle();

      // The sends that waited go out through a new producer (a new producer id, fresh sequence numbers).
      expect(old.disconnects).toBe(1);
      expect(factory.made).toHaveLength(2);
      const [, fresh] = factory.made;
      expect(fresh.connects).toBe(1);
      expect(fresh.batches.map(keysOf)).toEqual([['2', '3']]);
      fresh.waiting[0].resolve();
      await Promise.all([second, third]);
      expect(old.batches).toHaveLength(1);
    });

    it('fails the sends of a request that failed together, when the broker is unreachable', async () => {
      const { factory, pending: together } = await queuedBehindARequest([
        [record('a', '1')],
        [record('a', '2')],
      ]);
      const outage = Object.assign(new Error('no broker'), { name: 'KafkaJSNumberOfRetriesExceeded' });
      factory.made[0].waiting[1].reject(outage);

      await expect(together[0]).rejects.toBe(outage);
      await expect(together[1]).rejects.toBe(outage);
    });

    it('tries each send of a request refused for good on its own, so one bad send fails alone', async () => {
      const {
        factory,
        pending: [good, bad],
      } = await queuedBehindARequest([[record('a', 'good')], [record('a', 'too-large')]]);
      const refusal = Object.assign(new Error('too large'), { name: 'KafkaJSNonRetriableError' });
      factory.made[0].waiting[1].reject(refusal);
      await settle();

      const fresh = factory.made[1];
      expect(fresh.batches.map(keysOf)).toEqual([['good']]);
      fresh.waiting[0].resolve();
      await good;
      await settle();
      expect(fresh.batches.map(keysOf)).toEqual([['good'], ['too-large']]);
      fresh.waiting[1].reject(refusal);
      await expect(bad).rejects.toBe(refusal);
    });

    it('sends a send larger than a merged request alone and whole', async () => {
      const {
        factory,
        pending: [big, small],
      } = await queuedBehindARequest([
        Array.from({ length: 1_200 }, (_, i) => record('a', `big-${i}`)),
        [record('a', 'small')],
      ]);
      const [producer] = factory.made;
      expect(keysOf(producer.batches[1])).toHaveLength(1_200);
      producer.waiting[1].resolve();
      await big;
      await settle();
      expect(keysOf(producer.batches[2])).toEqual(['small']);
      producer.waiting[2].resolve();
      await small;
    });
  });
});
