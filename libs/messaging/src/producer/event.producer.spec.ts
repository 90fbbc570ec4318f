import { formatTraceparent, newTrace, runWithCorrelation } from '@ioc/observability';
import type { Producer, ProducerBatch } from 'kafkajs';
import { aDetection } from '../../test/fixtures/events';
import { EventProducer } from './event.producer';

class FakeProducer {
  readonly batches: ProducerBatch[] = [];
  connects = 0;

  async connect(): Promise<void> {
    this.connects += 1;
  }

  async sendBatch(batch: ProducerBatch): Promise<void> {
    this.batches.push(batch);
  }
}

describe(EventProducer.name, () => {
  function setup() {
    const fake = new FakeProducer();
    return { fake, sut: new EventProducer(fake as unknown as Producer) };
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
    const record = (topic: string) => ({ topic, key: 'k', value: Buffer.from('{}'), headers: {} });

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
});
