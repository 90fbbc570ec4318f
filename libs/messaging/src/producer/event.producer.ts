import { encodeKafkaMessage, type IocEvent } from '@ioc/contracts';
import { Partitioners, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import { Coalescer } from '../coalescer';
import { withTraceContext } from './event-trace';
import { RecordSender, type OutboundRecord } from './record-sender';

/** An event and the (suffixed) topic it goes to. */
export interface TopicEvent {
  topic: string;
  event: IocEvent;
}

/** Most records one produce request carries when concurrent sends are merged into it (a larger send goes alone). */
const MAX_MERGED_RECORDS = 1_000;

/**
 * Publishes events and pre-encoded records with an idempotent producer: `acks=all`, one request in flight
 * per broker, so retries neither duplicate nor reorder records of a partition (KIP-98 idempotence).
 *
 * Two rules keep an acknowledgement true across a broker crash (docs/architecture.md, "Messaging", Producer):
 * - **One request at a time.** Sends that arrive while a request is in flight wait and go out together in
 *   the next one, in arrival order. kafkajs gives a failed request's sequence numbers back to the partition,
 *   and the broker may have written that request before the connection dropped: if another send reused
 *   those numbers, the broker would take it for a duplicate of what it wrote, acknowledge it, and drop its
 *   records. Only the failed request's own retry may reuse them.
 * - **A failed request retires the producer.** The next send starts a new kafkajs producer, hence a new
 *   producer id with fresh sequence numbers, which the broker cannot mistake for anything it wrote before.
 *   Whatever the failed request may have written is a duplicate at worst, which consumers skip by event id.
 *
 * A failed request fails every send it carried; when the broker refused it for good (a record too large,
 * say), each of its sends is tried again alone, so that one bad send does not fail its neighbours.
 */
export class EventProducer extends RecordSender {
  private connecting: Promise<Producer> | undefined;
  private readonly requests = new Coalescer<readonly OutboundRecord[], void>({
    run: async (sends) => {
      try {
        await this.produce(sends.flat());
      } catch (error) {
        await this.retire();
        throw error;
      }
      return sends.map(() => undefined);
    },
    weight: (records) => records.length,
    maxWeight: MAX_MERGED_RECORDS,
    retryAlone: refusedForGood,
  });

  /** `newProducer` makes an idempotent kafkajs producer; called again after a failed request. */
  constructor(private readonly newProducer: () => Producer) {
    super();
  }

  /** An idempotent producer on `kafka`. */
  static create(kafka: Kafka): EventProducer {
    return new EventProducer(() =>
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
  async connect(): Promise<void> {
    await this.producer();
  }

  async disconnect(): Promise<void> {
    await this.retire();
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
    if (records.length > 0) await this.requests.submit(records);
  }

  private async produce(records: readonly OutboundRecord[]): Promise<void> {
    const producer = await this.producer();
    const byTopic = new Map<string, TopicMessages>();
    for (const { topic, key, value, headers } of records) {
      let entry = byTopic.get(topic);
      if (!entry) byTopic.set(topic, (entry = { topic, messages: [] }));
      entry.messages.push({ key, value, headers });
    }
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic.values()] });
  }

  private producer(): Promise<Producer> {
    this.connecting ??= (async () => {
      const producer = this.newProducer();
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  /** Disconnects the current producer, if any; the next request starts a new one. */
  private async retire(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = undefined;
    const producer = await connecting?.catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }
}

/** kafkajs gave up at once: the broker refused the request for a reason a retry would not change. */
function refusedForGood(error: unknown): boolean {
  return error instanceof Error && error.name === 'KafkaJSNonRetriableError';
}
