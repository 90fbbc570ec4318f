import { kafkaBrokers, uniqueSuffix, waitFor } from '@ioc/testing';
import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';

import {
  createEvent,
  decodeKafkaMessage,
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
// the unit specs imitate, so this spec checks that imitation holds on the wire.
describe('CloudEvents over Kafka', () => {
  const suffix = uniqueSuffix();
  const topic = topicName(Topics.reportsSubmissions, suffix);
  const groupId = `contracts-${suffix}`;
  const kafka = new Kafka({
    clientId: `contracts-${suffix}`,
    brokers: kafkaBrokers(),
    logLevel: logLevel.ERROR,
  });
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;
  const received: KafkaMessage[] = [];

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    // kafkajs' waitForLeaders gives up on the UNKNOWN_TOPIC_OR_PARTITION a KRaft broker answers for a
    // moment after a creation; wait for the leader here instead.
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: false });
    await waitFor(
      async () => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions[0]?.leader >= 0,
      { what: `a leader for ${topic}` },
    );
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message);
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin?.deleteGroups([groupId]);
    await admin?.deleteTopics({ topics: [topic] });
    await admin?.disconnect();
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
    await waitFor(() => received.length >= events.length, { what: 'both records', timeoutMs: 60_000 });

    const decoded = received.map((message) => ({
      key: message.key?.toString(),
      result: decodeKafkaMessage(message),
    }));
    expect(decoded).toEqual(
      events.map(({ event, mode }) => ({
        key: event.subject,
        result: { ok: true, mode: mode as ContentMode, event },
      })),
    );
    for (const { result } of decoded) expect(result.ok && validateEvent(result.event).ok).toBe(true);
  });
});
