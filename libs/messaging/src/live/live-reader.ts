import { randomUUID } from 'node:crypto';
import type { KnownIocEvent, TopicName } from '@ioc/contracts';
import type { Consumer, Kafka } from 'kafkajs';
import { triageMessage } from '../consumer/message-triage';
import type { TopicNames } from '../kafka/topic-names';
import { describeError } from '../messaging.errors';
import { messagingMetrics } from '../metrics';
import { type MessagingLogger, silentLogger } from '../logger';

/** Where an event sits in Kafka: together, the positions of a topic's partitions make a resume cursor. */
export interface LivePosition {
  topic: string;
  partition: number;
  /** The record's offset, as kafkajs gives it (a decimal string). */
  offset: string;
}

/** An event as a live reader delivers it: valid against its contract, with its position. */
export interface LiveEvent extends LivePosition {
  event: KnownIocEvent;
  /** The record's Kafka timestamp, in milliseconds since the epoch, as kafkajs gives it (a decimal string). */
  timestamp: string;
}

/** What a {@link LiveReader} reads and where it hands what it read. */
export interface LiveReaderOptions {
  kafka: Kafka;
  /** Names the reader in metrics, logs and health, e.g. `gateway.live`. */
  name: string;
  /** Suffixed topic names. */
  topics: readonly string[];
  /**
   * Called with each fetched batch of one partition, in offset order; the next batch of that partition waits
   * for it. A throw is logged and counted, and the batch is not delivered again: a live view drops rather than
   * stalls (a client that missed something resumes from its cursor).
   */
  onEvents: (events: readonly LiveEvent[]) => Promise<void> | void;
  /**
   * Called after each fetched batch, once its events were handed on, with the batch's last offset: skipped
   * records included, so that a reader of positions (a resume cursor, a catch-up check) moves past them too.
   */
  onBatchEnd?: (end: LivePosition) => void;
  /** Start at the beginning of each partition instead of its end. Default false: live changes only. */
  fromBeginning?: boolean;
  /** Larger records are skipped unread. Default 1 MiB. */
  maxMessageBytes?: number;
  logger?: MessagingLogger;
}

const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * A light reader of live topics for a service that keeps no state (the gateway): no inbox, no transaction per
 * batch, no committed offsets. Every instance reads every partition itself, in a consumer group of its own, so
 * that any instance can serve any client and instances scale out without a shared adapter; Kafka's positions
 * are the cursor a client resumes from. A record that is not a valid event is skipped and counted: the topics'
 * owners dead-letter their input, and a reader must not stop on what it cannot show.
 */
export class LiveReader {
  private consumer: Consumer | undefined;
  /** Per `topic:partition`, the offset after the last record this reader handed on. */
  private readonly positions = new Map<string, bigint>();
  private crashed: string | undefined;
  private stopped = false;
  private readonly metrics = messagingMetrics();
  private readonly logger: MessagingLogger;
  /** A group of this instance only: kafkajs has no manual assignment, and a shared group would split partitions. */
  readonly groupId: string;

  constructor(private readonly options: LiveReaderOptions) {
    this.logger = options.logger ?? silentLogger;
    this.groupId = `${options.name}.${randomUUID()}`;
  }

  /**
   * Joins and starts reading; resolves once the reader has its partitions. Without `fromBeginning` it starts
   * at each partition's end as of its first fetch, just after joining, so a record written in between may not
   * be delivered: a live view, whose clients resume from their cursor (Kafka positions), not a log.
   */
  async start(): Promise<void> {
    const consumer = this.options.kafka.consumer({
      groupId: this.groupId,
      // Nothing is committed, so a new reader (a restarted service) starts at `fromBeginning`; the group is left at stop.
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.crashed = describeError(payload.error);
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.goOn(consumer, payload.memberAssignment));
    await consumer.connect();
    await consumer.subscribe({
      topics: [...this.options.topics],
      fromBeginning: this.options.fromBeginning ?? false,
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        const position = `${batch.topic}:${batch.partition}`;
        const next = this.positions.get(position);
        // A batch fetched before the consumer joined again may still come after it went on: each record once.
        const messages =
          next === undefined
            ? batch.messages
            : batch.messages.filter((message) => BigInt(message.offset) >= next);
        const last = messages[messages.length - 1];
        if (last === undefined) return;
        this.positions.set(position, BigInt(last.offset) + 1n);
        const events: LiveEvent[] = [];
        for (const message of messages) {
          const triaged = triageMessage(message, this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
          if (triaged.kind !== 'event') {
            this.metrics.liveSkipped.inc({
              reader: this.options.name,
              topic: batch.topic,
              reason: triaged.reason,
            });
            continue;
          }
          events.push({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            timestamp: message.timestamp,
            event: triaged.event,
          });
        }
        const end = { topic: batch.topic, partition: batch.partition, offset: last.offset };
        if (events.length === 0) {
          this.options.onBatchEnd?.(end);
          return;
        }
        try {
          await this.options.onEvents(events);
          this.metrics.liveDelivered.inc({ reader: this.options.name, topic: batch.topic }, events.length);
        } catch (error) {
          this.metrics.liveFailed.inc({ reader: this.options.name, topic: batch.topic });
          this.logger.error(
            {
              reader: this.options.name,
              topic: batch.topic,
              partition: batch.partition,
              error: describeError(error),
            },
            'live events could not be handed on; dropped',
          );
        }
        this.options.onBatchEnd?.(end);
      },
    });
    await joined;
  }

  /**
   * kafkajs makes the consumer join its group again after a rebalance or when the coordinator lost it, and starts
   * a new one after a crash (the broker gone for longer than its retries): with nothing committed, each partition
   * would start over at `fromBeginning`, handing on again all that was read, or skipping what came meanwhile. The
   * reader goes on after the last record it handed on instead.
   */
  private goOn(consumer: Consumer, assignment: Readonly<Record<string, readonly number[]>>): void {
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const next = this.positions.get(`${topic}:${partition}`);
        if (next !== undefined) consumer.seek({ topic, partition, offset: next.toString() });
      }
    }
  }

  /** Why the reader is not healthy (shaped like a ConsumerFactory's, for KafkaReadiness). */
  healthProblems(): string[] {
    if (this.stopped) return [`live reader ${this.options.name} is stopped`];
    if (this.crashed) return [`live reader ${this.options.name} crashed (${this.crashed})`];
    return [];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.disconnect();
  }
}

/**
 * Makes the service's {@link LiveReader}s on its Kafka client, with catalog topic names suffixed for this
 * environment, watched by its readiness and stopped at shutdown (KafkaModule provides it).
 */
export class LiveReaderFactory {
  private readonly readers: LiveReader[] = [];

  constructor(private readonly deps: { kafka: Kafka; topics: TopicNames; logger?: MessagingLogger }) {}

  /** `topics` are catalog names (`Topics.incidentsEvents`); the factory appends the environment's suffix. */
  create(
    options: Omit<LiveReaderOptions, 'kafka' | 'topics'> & { topics: readonly TopicName[] },
  ): LiveReader {
    const reader = new LiveReader({
      ...options,
      kafka: this.deps.kafka,
      topics: options.topics.map((topic) => this.deps.topics.of(topic)),
      logger: options.logger ?? this.deps.logger,
    });
    this.readers.push(reader);
    return reader;
  }

  healthProblems(): string[] {
    return this.readers.flatMap((reader) => reader.healthProblems());
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.readers.map((reader) => reader.stop()));
  }
}
