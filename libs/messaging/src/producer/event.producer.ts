import { encodeKafkaMessage, type IocEvent } from '@ioc/contracts';
import { Partitioners, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import { withTraceContext } from './event-trace';
import { RecordSender, type OutboundRecord } from './record-sender';

/** An event and the (suffixed) topic it goes to. */
export interface TopicEvent {
  topic: string;
  event: IocEvent;
}

/**
 * Publishes events and pre-encoded records with an idempotent producer: `acks=all`, one request in flight
 * per broker, so retries neither duplicate nor reorder records of a partition (KIP-98 idempotence).
 */
export class EventProducer extends RecordSender {
  private connecting: Promise<void> | undefined;

  constructor(private readonly producer: Producer) {
    super();
  }

  /** An idempotent producer on `kafka`. */
  static create(kafka: Kafka): EventProducer {
    return new EventProducer(
      kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // murmur2 on the key, the Java client's partitioner: an integrator's Java producer and ours put
        // one aggregate's events on the same partition (docs/architecture.md, "Envelope": the key orders an aggregate).
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
    );
  }

  /** Connects once; `send` calls it on first use. */
  connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async disconnect(): Promise<void> {
    this.connecting = undefined;
    await this.producer.disconnect();
  }

  /**
   * Publishes `events` to `topic` in CloudEvents binary mode (key = subject = aggregate id; correlation id
   * and traceparent travel as `ce_` headers). Resolves after the broker acknowledged every record.
   */
  send(topic: string, events: readonly IocEvent[]): Promise<void> {
    return this.sendEvents(events.map((event) => ({ topic, event })));
  }

  /**
   * Publishes events to their topics like {@link EventProducer.send}, in one request. An event without a
   * `correlationid` or `traceparent` gets the current flow's (see {@link withTraceContext}).
   */
  async sendEvents(routed: readonly TopicEvent[]): Promise<void> {
    const events = withTraceContext(routed.map(({ event }) => event));
    await this.sendRecords(
      routed.map(({ topic }, i) => ({ topic, ...encodeKafkaMessage(events[i], 'binary') })),
    );
  }

  override async sendRecords(records: readonly OutboundRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, TopicMessages>();
    for (const { topic, key, value, headers } of records) {
      let entry = byTopic.get(topic);
      if (!entry) byTopic.set(topic, (entry = { topic, messages: [] }));
      entry.messages.push({ key, value, headers });
    }
    await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic.values()] });
  }
}
