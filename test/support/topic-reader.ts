import { randomBytes } from 'node:crypto';
import { type DecodeResult, decodeKafkaMessage, type IocEvent } from '@ioc/contracts';
import { createKafka } from '@ioc/messaging';
import type { Consumer, IHeaders, KafkaMessage } from 'kafkajs';
import { kafkaBrokers } from './env';
import { withAdmin } from './isolation';
import { waitFor } from './wait-for';

/** A record read back from a topic, as a spec checks it. */
export interface TopicRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The value's bytes, as they are on the broker. */
  value: Buffer | null;
  /** Every header as text, by {@link headerText} (CloudEvents `ce_*`, `content-type`, the DLQ's `ioc-dlq-*`). */
  headers: Record<string, string>;
  /** The record read by the services' own codec, in either content mode; `ok: false` with the reason otherwise. */
  decoded: DecodeResult;
  /** The event, when {@link decoded} is one. */
  event?: IocEvent;
}

/**
 * A header's value as text. kafkajs hands a header over as bytes, or as an array when the record repeats it;
 * a repeated header reads as its values joined by `,` so that an assertion on it sees every value, never only
 * the first.
 */
export function headerText(value: IHeaders[string]): string | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).map((item) => item.toString()).join(',');
}

function toRecord(topic: string, partition: number, message: KafkaMessage): TopicRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) headers[name] = text;
  }
  const decoded = decodeKafkaMessage(message);
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value,
    headers,
    decoded,
    ...(decoded.ok ? { event: decoded.event } : {}),
  };
}

/**
 * Reads `topics` from the beginning into memory, in a consumer group of its own (deleted when it stops), so a
 * spec can check what a service put into Kafka: `const reader = await TopicReader.start([topic]);
 * await reader.waitFor(topic, (r) => r.key === 'k')`. Poll it to a deadline; never sleep.
 */
export class TopicReader {
  readonly records: TopicRecord[] = [];
  /** Per `topic:partition`, the next offset to read (past transaction markers, which carry no record). */
  private readonly positions = new Map<string, bigint>();

  private constructor(
    private readonly consumer: Consumer,
    private readonly groupId: string,
  ) {}

  static async start(topics: readonly string[]): Promise<TopicReader> {
    const kafka = createKafka({ clientId: 'topic-reader', brokers: kafkaBrokers(), logLevel: 'nothing' });
    const groupId = `topic-reader.${randomBytes(6).toString('hex')}`;
    const reader = new TopicReader(kafka.consumer({ groupId, maxWaitTimeInMs: 50 }), groupId);
    await reader.consumer.connect();
    await reader.consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await reader.consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages)
          reader.records.push(toRecord(batch.topic, batch.partition, message));
        reader.positions.set(`${batch.topic}:${batch.partition}`, BigInt(batch.lastOffset()) + 1n);
      },
    });
    return reader;
  }

  /** What has been read so far of `topic` that matches `predicate`. */
  matching(topic: string, predicate: (record: TopicRecord) => boolean = () => true): TopicRecord[] {
    return this.records.filter((record) => record.topic === topic && predicate(record));
  }

  /** The records of `topic` matching `predicate`, waiting until there are at least `count`. */
  async waitFor(
    topic: string,
    predicate: (record: TopicRecord) => boolean,
    { count = 1, timeoutMs = 20_000 }: { count?: number; timeoutMs?: number } = {},
  ): Promise<TopicRecord[]> {
    return waitFor(
      () => {
        const found = this.matching(topic, predicate);
        return found.length >= count ? found : undefined;
      },
      { timeoutMs, what: `${count} record(s) on ${topic}` },
    );
  }

  /** The records of `topic` once `enough` says so of all read so far. */
  async until(
    topic: string,
    enough: (records: readonly TopicRecord[]) => boolean,
    { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
  ): Promise<TopicRecord[]> {
    return waitFor(
      () => {
        const records = this.matching(topic);
        return enough(records) && records;
      },
      { timeoutMs, what: `records on ${topic}` },
    );
  }

  /** Every record of `topic` below `ends` (its high watermarks per partition), once all of them are read. */
  async upTo(topic: string, ends: ReadonlyMap<number, bigint>, timeoutMs: number): Promise<TopicRecord[]> {
    await waitFor(
      () =>
        [...ends].every(
          ([partition, end]) => end === 0n || (this.positions.get(`${topic}:${partition}`) ?? 0n) >= end,
        ),
      { timeoutMs, what: `${topic} read to its end` },
    );
    return this.matching(topic, (record) => BigInt(record.offset) < (ends.get(record.partition) ?? 0n));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await withAdmin((admin) => admin.deleteGroups([this.groupId]));
  }
}

/**
 * Everything in `topic` up to its current high watermarks. Since the end is fixed before reading, the result
 * is exact: duplicates included, nothing missing.
 */
export async function readTopic(topic: string, { timeoutMs = 60_000 } = {}): Promise<TopicRecord[]> {
  const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  const ends = new Map(offsets.map(({ partition, high }) => [partition, BigInt(high)]));
  if ([...ends.values()].every((end) => end === 0n)) return [];
  const reader = await TopicReader.start([topic]);
  try {
    return await reader.upTo(topic, ends, timeoutMs);
  } finally {
    await reader.stop();
  }
}
