import { dropTestData, kafkaBrokers, provisionSuffixedTopics, TopicReader, uniqueSuffix } from '@ioc/testing';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';

import {
  createEvent,
  encodeKafkaMessage,
  EventTypes,
  submissionSubject,
  topicName,
  Topics,
  validateEvent,
  type ContentMode,
} from '../src';
import { eventSamples } from './event-samples';

// The codec against a real broker: what kafkajs hands a consumer (Buffers, arrays for repeated headers) is what
// the unit specs imitate, so this spec checks that imitation holds on the wire. The topic reader decodes each
// record as kafkajs delivers it with decodeKafkaMessage.
describe('CloudEvents over Kafka', () => {
  const suffix = uniqueSuffix();
  const topic = topicName(Topics.reportsSubmissions, suffix);
  const kafka = new Kafka({
    clientId: `contracts-${suffix}`,
    brokers: kafkaBrokers(),
    logLevel: logLevel.ERROR,
  });
  let producer: Producer;
  let reader: TopicReader;

  beforeAll(async () => {
    await provisionSuffixedTopics(suffix, { partitions: { [Topics.reportsSubmissions]: 1 } });
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    reader = await TopicReader.start([topic]);
  });

  afterAll(async () => {
    await reader?.stop();
    await producer?.disconnect();
    await dropTestData({ suffix, schemas: [] });
  });

  it('brings an event back equal in both content modes, keyed by its subject', async () => {
    const data = eventSamples[EventTypes.reportSubmission];
    const events = (['binary', 'structured'] as const).map((mode) => ({
      mode,
      event: createEvent(EventTypes.reportSubmission, {
        source: '/integrator/hotline',
        subject: submissionSubject(data.channel, data.externalId),
        data,
        correlationid: `corr-${mode}`,
      }),
    }));

    await producer.send({
      topic,
      messages: events.map(({ event, mode }) => encodeKafkaMessage(event, mode)),
    });
    const received = await reader.waitFor(topic, () => true, { count: events.length, timeoutMs: 60_000 });

    const decoded = received.map((record) => ({ key: record.key, result: record.decoded }));
    expect(decoded).toEqual(
      events.map(({ event, mode }) => ({
        key: event.subject,
        result: { ok: true, mode: mode as ContentMode, event },
      })),
    );
    for (const { result } of decoded) expect(result.ok && validateEvent(result.event).ok).toBe(true);
  });
});
