import type { KnownIocEvent } from '@ioc/contracts';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { DeadLetter } from '../dlq/dead-letter.message';
import type { DeadLetterPublisher } from '../dlq/dead-letter.publisher';
import { silentLogger, type MessagingLogger } from '../logger';
import { classifyFailure, describeError, MessagingError, RetriesExhaustedError } from '../messaging.errors';
import { messagingMetrics } from '../metrics';
import type { RecordHeaders } from '../producer/record-sender';
import { Inbox, type InboxOutcome } from './inbox';
import { triageMessage, type TriagedMessage } from './message-triage';
import { RetryPolicy, type RetryOptions } from './retry.policy';

/** What a handler gets besides the event: the transaction to write its effect in, and the source. */
export interface ConsumeContext {
  /** The transaction in which the inbox row is written; the effect must use it to commit atomically. */
  manager: EntityManager;
  topic: string;
  partition: number;
  offset: string;
  headers: RecordHeaders;
}

/**
 * Applies one valid event. Throw a {@link PoisonMessageError} for an event that can never be applied (it
 * goes to the DLQ); any other error is transient and retried.
 */
export type EventHandler = (event: KnownIocEvent, context: ConsumeContext) => Promise<void>;

/** One event of a {@link BatchEventHandler} call, with its place in the partition. */
export interface ConsumedEvent {
  event: KnownIocEvent;
  offset: string;
  headers: RecordHeaders;
}

/**
 * Applies the new events of a chunk at once, in offset order, for effects that can be written set-wise
 * (one statement for many events instead of a round trip each). Poison is handled as for
 * {@link EventHandler}: after a {@link PoisonMessageError} the chunk is redone one event per call.
 */
export type BatchEventHandler = (
  events: readonly ConsumedEvent[],
  context: { manager: EntityManager; topic: string; partition: number },
) => Promise<void>;

/** Passed to the `afterCommit` hook: a chunk's database transaction committed, its offset not yet. */
export interface AfterCommitInfo {
  topic: string;
  partition: number;
  /** Offset of the chunk's last message. */
  lastOffset: string;
  applied: number;
  duplicates: number;
  deadLettered: number;
}

/** Configuration of a {@link BatchConsumerRunner}. */
export interface BatchConsumerRunnerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  groupId: string;
  /** Name in the inbox, DLQ headers, logs and metric labels; usually the group id. */
  consumerName: string;
  topics: string[];
  /** Applies one event; give this or `batchHandler`. */
  handler?: EventHandler;
  /** Applies a chunk's new events in one call; give this or `handler`. */
  batchHandler?: BatchEventHandler;
  dlq: DeadLetterPublisher;
  /** Larger values go to the DLQ unparsed as `payload.too_large`. Default 1 MiB. */
  maxMessageBytes?: number;
  /** Backoff for transient failures. Default 200 ms doubling to 10 s, 8 attempts. */
  retry?: RetryOptions;
  /** Test seam, e.g. to kill the process between the database commit and the offset commit. */
  hooks?: { afterCommit?(info: AfterCommitInfo): void | Promise<void> };
  /** Where a new group starts. Default `true`: the earliest retained message, so nothing is skipped. */
  fromBeginning?: boolean;
  /** Messages applied per database transaction. Default 500. */
  maxMessagesPerTransaction?: number;
  /** Partitions processed in parallel by this instance. Default 1. */
  partitionsConsumedConcurrently?: number;
  /** Group membership timing (kafkajs defaults: 30 s session, 3 s heartbeat, 60 s rebalance). */
  session?: { sessionTimeout?: number; heartbeatInterval?: number; rebalanceTimeout?: number };
  logger?: MessagingLogger;
}

interface ChunkOutcome {
  applied: number;
  duplicates: number;
  letters: DeadLetter[];
}

type Triaged = TriagedMessage<KafkaMessage>;
type EventItem = Extract<Triaged, { kind: 'event' }>;

/** Thrown inside a chunk's transaction to roll it back and redo the chunk message by message. */
class PoisonInChunk extends Error {}

const DEFAULT_RETRY: RetryOptions = { initialMs: 200, maxMs: 10_000, maxAttempts: 8 };
const SAVEPOINT = 'ioc_message';

/**
 * Consumes Kafka topics into the service's database with exactly-once effects (DESIGN "Nothing counted
 * twice"):
 *
 * 1. each message is size-checked, decoded (CloudEvents, binary or structured) and validated; what fails
 *    goes to the DLQ;
 * 2. a chunk of a fetched batch is applied in ONE transaction: one multi-row `INSERT … ON CONFLICT DO
 *    NOTHING RETURNING` into the inbox, then the handler for the ids that were new, in offset order (or
 *    the batch handler once, with all of them);
 * 3. a handler's {@link PoisonMessageError} rolls the chunk back, which is then redone message by message
 *    under savepoints so that only the poison event is dead-lettered (its inbox row says so, and a
 *    redelivery does not dead-letter it twice);
 * 4. dead letters are acknowledged by the broker before the transaction commits, and the offset is
 *    committed only after it: a crash in between redelivers messages whose ids the inbox already holds;
 * 5. any other failure is transient: the transaction rolls back and the chunk is retried with backoff,
 *    heartbeating, offsets untouched; after `maxAttempts` the error goes to kafkajs, which restarts the
 *    consumer from the last committed offset.
 *
 * On a rebalance, work committed to the database whose offset commit fails is simply redelivered to the
 * partition's new owner, and skipped there as duplicates.
 */
export class BatchConsumerRunner {
  private readonly consumer: Consumer;
  private readonly inbox: Inbox;
  private readonly retry: RetryPolicy;
  private readonly maxMessageBytes: number;
  private readonly chunkSize: number;
  private readonly heartbeatIntervalMs: number;
  private readonly logger: MessagingLogger;
  private readonly metrics = messagingMetrics();
  private crashed = false;

  constructor(private readonly options: BatchConsumerRunnerOptions) {
    if (!options.handler === !options.batchHandler) {
      throw new MessagingError(
        'MESSAGING.INVALID_OPTIONS',
        'give a consumer exactly one of handler and batchHandler',
      );
    }
    this.inbox = new Inbox(options.consumerName);
    this.retry = new RetryPolicy(options.retry ?? DEFAULT_RETRY);
    this.maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
    this.chunkSize = options.maxMessagesPerTransaction ?? 500;
    this.heartbeatIntervalMs = options.session?.heartbeatInterval ?? 3_000;
    this.logger = options.logger ?? silentLogger;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      ...options.session,
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts on retriable errors (ours included); anything else leaves the consumer dead.
      this.crashed = !payload.restart;
      this.logger.error(
        { consumer: options.consumerName, error: describeError(payload.error), restart: payload.restart },
        'consumer crashed',
      );
    });
  }

  /** Joins the group and starts consuming; resolves once the group is joined. */
  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    // consumer.run() returns before the group is joined; a service is ready (and a caller may rely on
    // event-time windows starting now) only once it is.
    const joined = this.firstJoin();
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    await joined;
  }

  private firstJoin(): Promise<void> {
    const { GROUP_JOIN, CRASH } = this.consumer.events;
    return new Promise((resolve, reject) => {
      const listeners: (() => void)[] = [];
      const done = (settle: () => void) => {
        for (const remove of listeners) remove();
        settle();
      };
      listeners.push(
        this.consumer.on(GROUP_JOIN, () => done(resolve)),
        this.consumer.on(CRASH, ({ payload }) => {
          if (!payload.restart) done(() => reject(payload.error));
        }),
      );
    });
  }

  /** Finishes the chunk in flight (transaction and offset commit), leaves the group and disconnects. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  /** False once kafkajs gave up on the consumer without restarting it; for a health check. */
  isHealthy(): boolean {
    return !this.crashed;
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    const labels = { consumer: this.options.consumerName, topic };
    this.metrics.lag.set({ ...labels, partition: String(partition) }, Number(batch.offsetLag()));
    const endTimer = this.metrics.batchDuration.startTimer(labels);
    try {
      for (let start = 0; start < batch.messages.length; start += this.chunkSize) {
        if (!payload.isRunning() || payload.isStale()) return;
        const messages = batch.messages.slice(start, start + this.chunkSize);
        const items = messages.map((message) => triageMessage(message, this.maxMessageBytes));
        const outcome = await this.withRetries(payload, () => this.processChunk(topic, partition, items));
        if (!outcome) return;

        this.count(topic, items.length, outcome);
        const lastOffset = messages[messages.length - 1].offset;
        const isLastChunk = start + this.chunkSize >= batch.messages.length;
        // After the batch's last message, commit past batch.lastOffset(): trailing control records of
        // transactional producers never reach us and would otherwise be fetched again.
        const nextOffset = (BigInt(isLastChunk ? batch.lastOffset() : lastOffset) + 1n).toString();
        payload.resolveOffset(lastOffset);
        await this.options.hooks?.afterCommit?.({
          topic,
          partition,
          lastOffset,
          applied: outcome.applied,
          duplicates: outcome.duplicates,
          deadLettered: outcome.letters.length,
        });
        // Through the payload, not consumer.commitOffsets(), which is a no-op once stop() began: the
        // chunk that finishes during a graceful stop must still get its offset committed.
        await payload.commitOffsetsIfNecessary({
          topics: [{ topic, partitions: [{ partition, offset: nextOffset }] }],
        });
        await payload.heartbeat();
      }
    } finally {
      endTimer();
    }
  }

  /** Runs `work` until it succeeds; `undefined` when the consumer stopped or lost the partition meanwhile. */
  private async withRetries<T>(payload: EachBatchPayload, work: () => Promise<T>): Promise<T | undefined> {
    const { topic, partition } = payload.batch;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (!this.retry.canRetry(attempt)) throw new RetriesExhaustedError(attempt, error);
        const delayMs = this.retry.delayMs(attempt);
        this.metrics.retries.inc({ consumer: this.options.consumerName, topic });
        this.logger.warn(
          {
            consumer: this.options.consumerName,
            topic,
            partition,
            attempt,
            retryInMs: delayMs,
            error: describeError(error),
          },
          'transient failure; retrying the chunk',
        );
        if (!(await this.waitHeartbeating(payload, delayMs))) return undefined;
      }
    }
  }

  private async waitHeartbeating(payload: EachBatchPayload, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    for (;;) {
      if (!payload.isRunning() || payload.isStale()) return false;
      const left = until - Date.now();
      if (left <= 0) return true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, this.heartbeatIntervalMs, 500)));
      await payload.heartbeat();
    }
  }

  private async processChunk(topic: string, partition: number, items: Triaged[]): Promise<ChunkOutcome> {
    const { dataSource } = this.options;
    try {
      return await dataSource.transaction((manager) => this.applyChunk(manager, topic, partition, items));
    } catch (error) {
      if (!(error instanceof PoisonInChunk)) throw error;
      return dataSource.transaction((manager) => this.applyIsolated(manager, topic, partition, items));
    }
  }

  /** The fast path: one inbox statement for the chunk, then the handlers of the new ids. */
  private async applyChunk(
    manager: EntityManager,
    topic: string,
    partition: number,
    items: Triaged[],
  ): Promise<ChunkOutcome> {
    const outcome: ChunkOutcome = { applied: 0, duplicates: 0, letters: [] };
    const firsts = firstOccurrences(items);
    const fresh = await this.inbox.record(
      manager,
      [...firsts].map((item) => ({ eventId: idOf(item), outcome: intendedOutcome(item) })),
    );
    const toApply: EventItem[] = [];
    for (const item of items) {
      if (item.kind === 'undecodable') {
        outcome.letters.push(this.letter(topic, partition, item));
      } else if (!firsts.has(item) || !fresh.has(idOf(item))) {
        outcome.duplicates += 1;
      } else if (item.kind === 'invalid') {
        outcome.letters.push(this.letter(topic, partition, item));
      } else {
        toApply.push(item);
      }
    }
    try {
      await this.apply(manager, topic, partition, toApply);
    } catch (error) {
      if (classifyFailure(error).kind === 'poison') throw new PoisonInChunk();
      throw error;
    }
    outcome.applied = toApply.length;
    await this.publishLetters(outcome.letters);
    return outcome;
  }

  /** The slow path after a poison event: each message under its own savepoint. */
  private async applyIsolated(
    manager: EntityManager,
    topic: string,
    partition: number,
    items: Triaged[],
  ): Promise<ChunkOutcome> {
    const outcome: ChunkOutcome = { applied: 0, duplicates: 0, letters: [] };
    for (const item of items) {
      if (item.kind === 'undecodable') {
        outcome.letters.push(this.letter(topic, partition, item));
        continue;
      }
      const eventId = idOf(item);
      await manager.query(`SAVEPOINT ${SAVEPOINT}`);
      const fresh = await this.inbox.record(manager, [{ eventId, outcome: intendedOutcome(item) }]);
      if (!fresh.has(eventId)) {
        outcome.duplicates += 1;
      } else if (item.kind === 'invalid') {
        outcome.letters.push(this.letter(topic, partition, item));
      } else {
        try {
          await this.apply(manager, topic, partition, [item]);
          outcome.applied += 1;
        } catch (error) {
          const failure = classifyFailure(error);
          if (failure.kind === 'transient') throw error;
          await manager.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
          await this.inbox.record(manager, [{ eventId, outcome: 'dead-lettered' }]);
          outcome.letters.push(this.letter(topic, partition, { message: item.message, ...failure }));
        }
      }
      await manager.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    }
    await this.publishLetters(outcome.letters);
    return outcome;
  }

  private async apply(
    manager: EntityManager,
    topic: string,
    partition: number,
    items: EventItem[],
  ): Promise<void> {
    const { handler, batchHandler } = this.options;
    if (batchHandler) {
      if (items.length === 0) return;
      const events = items.map(({ event, message }) => ({
        event,
        offset: message.offset,
        headers: message.headers ?? {},
      }));
      await batchHandler(events, { manager, topic, partition });
      return;
    }
    for (const item of items) await handler?.(item.event, context(manager, topic, partition, item.message));
  }

  // Inside the transaction, before the commit: once the inbox says "dead-lettered", the letter must
  // already be in Kafka. A failure after the ack only repeats the letter; the other order could lose it.
  private async publishLetters(letters: DeadLetter[]): Promise<void> {
    if (letters.length > 0) await this.options.dlq.publish(letters);
  }

  private letter(
    topic: string,
    partition: number,
    rejection: { message: KafkaMessage; reason: string; detail: string },
  ): DeadLetter {
    return {
      consumer: this.options.consumerName,
      topic,
      partition,
      offset: rejection.message.offset,
      message: rejection.message,
      reason: rejection.reason,
      detail: rejection.detail,
    };
  }

  private count(topic: string, consumed: number, outcome: ChunkOutcome): void {
    const labels = { consumer: this.options.consumerName, topic };
    this.metrics.consumed.inc(labels, consumed);
    if (outcome.applied) this.metrics.applied.inc(labels, outcome.applied);
    if (outcome.duplicates) this.metrics.duplicates.inc(labels, outcome.duplicates);
    for (const letter of outcome.letters) {
      this.metrics.deadLettered.inc({ ...labels, reason: letter.reason });
      this.logger.warn(
        {
          consumer: this.options.consumerName,
          topic,
          partition: letter.partition,
          offset: letter.offset,
          reason: letter.reason,
        },
        'message dead-lettered',
      );
    }
  }
}

type Identified = Exclude<Triaged, { kind: 'undecodable' }>;

function idOf(item: Identified): string {
  return item.kind === 'event' ? item.event.id : item.eventId;
}

function intendedOutcome(item: Identified): InboxOutcome {
  return item.kind === 'event' ? 'applied' : 'dead-lettered';
}

/** The items whose event id appears for the first time in the chunk; later copies are duplicates. */
function firstOccurrences(items: Triaged[]): Set<Identified> {
  const seen = new Set<string>();
  const firsts = new Set<Identified>();
  for (const item of items) {
    if (item.kind === 'undecodable') continue;
    const eventId = idOf(item);
    if (seen.has(eventId)) continue;
    seen.add(eventId);
    firsts.add(item);
  }
  return firsts;
}

function context(
  manager: EntityManager,
  topic: string,
  partition: number,
  message: KafkaMessage,
): ConsumeContext {
  return { manager, topic, partition, offset: message.offset, headers: message.headers ?? {} };
}
