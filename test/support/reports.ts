import type { Kafka } from 'kafkajs';
import { TopicReader, type TopicRecord } from './topic-reader';

/** A record read back from a topic in the shape apps/reports/test reads: the value as text. */
export interface ReportsTopicRecord {
  key: string | null;
  headers: Record<string, string>;
  value: string;
  partition: number;
  offset: string;
}

/**
 * {@link TopicReader} in the shape apps/reports/test/reports-app.ts still calls (the `kafka` argument is not
 * used: the reader has its own client); it goes once reports boots through `ServiceWorld`.
 */
export async function readTopicUntil(
  _kafka: Kafka,
  topic: string,
  enough: (records: readonly ReportsTopicRecord[]) => boolean,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<ReportsTopicRecord[]> {
  const reader = await TopicReader.start([topic]);
  const asText = (records: readonly TopicRecord[]): ReportsTopicRecord[] =>
    records.map(({ key, headers, value, partition, offset }) => ({
      key,
      headers,
      value: value?.toString() ?? '',
      partition,
      offset,
    }));
  try {
    return asText(await reader.until(topic, (records) => enough(asText(records)), { timeoutMs }));
  } finally {
    await reader.stop();
  }
}
