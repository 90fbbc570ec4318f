import { Writable } from 'node:stream';
import type { Kafka } from 'kafkajs';
import { waitFor } from './wait-for';

/** Every JSON log line a service writes, to check what reached the logs (DESIGN "Privacy"). */
export interface ServiceLogCapture {
  readonly stream: Writable;
  /** The raw lines, as they would reach a log collector. */
  text(): string;
}

export function captureLogs(): ServiceLogCapture {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** A record read back from a topic: key, headers as strings, and the value as text. */
export interface ReportsTopicRecord {
  key: string | null;
  headers: Record<string, string>;
  value: string;
  partition: number;
  offset: string;
}

/**
 * Reads a topic from the beginning with a plain kafkajs consumer (its own group) until `enough` says so or
 * the deadline passes, then disconnects.
 */
export async function readTopicUntil(
  kafka: Kafka,
  topic: string,
  enough: (records: readonly ReportsTopicRecord[]) => boolean,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<ReportsTopicRecord[]> {
  const records: ReportsTopicRecord[] = [];
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${Math.random().toString(36).slice(2)}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {}))
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value.toString();
        records.push({
          key: message.key?.toString() ?? null,
          headers,
          value: message.value?.toString() ?? '',
          partition,
          offset: message.offset,
        });
      },
    });
    await waitFor(() => enough(records), { timeoutMs, what: `records on ${topic}` });
    return records;
  } finally {
    await consumer.disconnect();
  }
}
