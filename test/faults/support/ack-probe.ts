import { createKafka, EventProducer } from '@ioc/messaging';
import { kafkaBrokers, readTopic, withAdmin } from '@ioc/testing';

/** What an {@link AckProbe} sent and found. */
export interface AckFindings {
  acknowledged: number;
  failed: number;
  /** Keys of acknowledged records that are not on the topic. */
  missing: string[];
}

/**
 * Concurrent sends through the services' own {@link EventProducer}, one record each, on a topic of its own, while
 * the broker is taken away: once it is back, every record the producer acknowledged must be on the topic. A failed
 * request whose sequence numbers another send reused would show here as an acknowledged record that is missing.
 */
export class AckProbe {
  private readonly acknowledged: string[] = [];
  private failed = 0;
  private running = true;
  private readonly senders: Promise<void>[];

  private constructor(
    private readonly topic: string,
    private readonly producer: EventProducer,
    senders: number,
  ) {
    let serial = 0;
    this.senders = Array.from({ length: senders }, async () => {
      while (this.running) {
        const key = `ack-${(serial += 1)}`;
        try {
          await this.producer.sendRecords([{ topic, key, value: Buffer.from(key), headers: {} }]);
          this.acknowledged.push(key);
        } catch {
          this.failed += 1;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    });
  }

  /** Creates `topic` (6 partitions) and starts `senders` concurrent senders on it. */
  static async start(topic: string, senders = 20): Promise<AckProbe> {
    await withAdmin((admin) =>
      admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true }),
    );
    const kafka = createKafka({ clientId: 'fault-suite-acks', brokers: kafkaBrokers(), logLevel: 'nothing' });
    return new AckProbe(topic, EventProducer.create(kafka), senders);
  }

  /** Stops sending, then reads the topic back. */
  async stop(): Promise<AckFindings> {
    this.running = false;
    await Promise.all(this.senders);
    await this.producer.disconnect();
    const onTopic = new Set((await readTopic(this.topic)).map((record) => record.key));
    return {
      acknowledged: this.acknowledged.length,
      failed: this.failed,
      missing: this.acknowledged.filter((key) => !onTopic.has(key)),
    };
  }
}
