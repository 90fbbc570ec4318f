import { RecordSender } from '../producer/record-sender';
import { buildDeadLetterRecord, type DeadLetter } from './dead-letter.message';

/** Where dead letters go and how big a DLQ record may be. */
export interface DeadLetterPublisherOptions {
  /** The suffixed `ioc.dlq` topic, e.g. `topicName(Topics.dlq, suffix)`. */
  topic: string;
  /**
   * Upper bound for one DLQ record; bigger originals are truncated (see {@link buildDeadLetterRecord}).
   * Default 1,000,000 bytes, under the broker's default `message.max.bytes` (1,048,588).
   */
  maxRecordBytes?: number;
  clock?: () => Date;
}

/**
 * Sends poison messages to the dead-letter topic with their original key, value and headers plus the
 * reason and source coordinates (docs/architecture.md, "Bad input"). Resolves only once the broker acknowledged, so a
 * consumer may then move its offset past the message.
 */
export class DeadLetterPublisher {
  private readonly maxRecordBytes: number;
  private readonly clock: () => Date;

  constructor(
    private readonly sender: RecordSender,
    private readonly options: DeadLetterPublisherOptions,
  ) {
    this.maxRecordBytes = options.maxRecordBytes ?? 1_000_000;
    this.clock = options.clock ?? (() => new Date());
  }

  /** The topic dead letters are sent to. */
  get topic(): string {
    return this.options.topic;
  }

  async publish(letters: readonly DeadLetter[]): Promise<void> {
    const at = this.clock();
    await this.sender.sendRecords(
      letters.map((letter) =>
        buildDeadLetterRecord(letter, {
          dlqTopic: this.options.topic,
          at,
          maxRecordBytes: this.maxRecordBytes,
        }),
      ),
    );
  }
}
