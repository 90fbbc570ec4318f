import { createKafka } from '@ioc/messaging';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { kafkaBrokers, uniqueSuffix } from './env';
import { waitFor } from './wait-for';

/** A record read back from a topic, with its headers as strings. */
export interface IngestTopicRecord {
  topic: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Reads every record of `topics` from the beginning into memory, so a spec can check what a service put into
 * Kafka: `const reader = await IngestTopicReader.start([topic]); await reader.waitFor(topic, (r) => r.key === 'k')`.
 */
export class IngestTopicReader {
  readonly records: IngestTopicRecord[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start(topics: readonly string[]): Promise<IngestTopicReader> {
    const kafka = createKafka({ clientId: 'topic-reader', brokers: kafkaBrokers(), logLevel: 'nothing' });
    const reader = new IngestTopicReader(kafka.consumer({ groupId: `topic-reader-${uniqueSuffix()}` }));
    await reader.consumer.connect();
    await reader.consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await reader.consumer.run({
      eachMessage: async ({ topic, message }) => {
        reader.records.push(toRecord(topic, message));
      },
    });
    return reader;
  }

  /** The records of `topic` matching `predicate`, waiting until there are at least `count`. */
  async waitFor(
    topic: string,
    predicate: (record: IngestTopicRecord) => boolean,
    { count = 1, timeoutMs = 20_000 }: { count?: number; timeoutMs?: number } = {},
  ): Promise<IngestTopicRecord[]> {
    return waitFor(
      () => {
        const found = this.matching(topic, predicate);
        return found.length >= count ? found : undefined;
      },
      { timeoutMs, what: `${count} record(s) on ${topic}` },
    );
  }

  /** What has been read so far of `topic` that matches `predicate`. */
  matching(topic: string, predicate: (record: IngestTopicRecord) => boolean): IngestTopicRecord[] {
    return this.records.filter((record) => record.topic === topic && predicate(record));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

function toRecord(topic: string, message: KafkaMessage): IngestTopicRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = String(Array.isArray(value) ? value[0] : value);
  }
  return {
    topic,
    key: message.key === null ? null : message.key.toString('utf8'),
    value: message.value === null ? null : message.value.toString('utf8'),
    headers,
  };
}
