import type { KnownIocEvent } from '@ioc/contracts';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { DeadLetter } from '../dlq/dead-letter.message';
import type { DeadLetterPublisher } from '../dlq/dead-letter.publisher';
import { silentLogger, type MessagingLogger } from '../logger';
import {
  classifyFailure,
  describeError,
  type FailureClass,
  MessagingError,
  RetriesExhaustedError,
} from '../messaging.errors';
import { messagingMetrics, trackProgress } from '../metrics';
import { runInEventContext } from '../producer/event-trace';
import type { RecordHeaders } from '../producer/record-sender';
import { Coalescer } from '../coalescer';
import { bisect } from './bisect';
import { ConsumerHealth, type ConsumerHealthOptions } from './consumer-health';
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
 * goes to the DLQ with your code as reason). Other errors are sorted by {@link classifyFailure}: an
 * infrastructure fault is retried; anything else isolates the event and dead-letters it if it recurs.
 */
export type EventHandler = (event: KnownIocEvent, context: ConsumeContext) => Promise<void>;

/** One event of a {@link BatchEventHandler} call, with its place in its partition. */
export interface ConsumedEvent {
  event: KnownIocEvent;
  topic: string;
  partition: number;
  offset: string;
  headers: RecordHeaders;
  /** The record's Kafka timestamp (epoch milliseconds as a string): when it reached the log, for lateness. */
  timestamp?: string;
}

/**
 * Applies the new events of a chunk at once, in offset order, for effects that can be written set-wise
 * (one statement for many events instead of a round trip each); with `groupCommit`, of several partitions'
 * chunks, each in its offset order. Failures are handled as for {@link EventHandler}: a failing call is split
 * in halves until the failing event is called alone.
 *
 * A call runs in one flow (docs/architecture.md, "Tracing across Kafka"): the events' own when they all
 * share a correlation id (one event always does), otherwise a new flow whose first log line, at debug
 * level, lists the correlation ids of the events it handles.
 */
export type BatchEventHandler = (
  events: readonly ConsumedEvent[],
  context: { manager: EntityManager },
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
  /**
   * Backoff for transient failures. Default 200 ms doubling to 10 s, 8 attempts; then the error goes to
   * kafkajs, which restarts the consumer from the last committed offset.
   */
  retry?: RetryOptions;
  /** When the consumer stops being ready (see {@link BatchConsumerRunner.healthProblems}). */
  health?: ConsumerHealthOptions;
  /** Test seam, e.g. to kill the process between the database commit and the offset commit. */
  hooks?: { afterCommit?(info: AfterCommitInfo): void | Promise<void> };
  /** Where a new group starts. Default `true`: the earliest retained message, so nothing is skipped. */
  fromBeginning?: boolean;
  /** Messages applied per database transaction. Default 500. */
  maxMessagesPerTransaction?: number;
  /** Partitions processed in parallel by this instance. Default 1. */
  partitionsConsumedConcurrently?: number;
  /**
   * Group commit of the partitions processed in parallel: their chunks that wait while a transaction runs go
   * together into the next one (up to `maxMessagesPerTransaction` messages; two transactions at most under
   * way), with one inbox statement and one handler call, so that a handler writing aggregates writes each
   * changed row once for all of them. A merged transaction that fails is not retried as a whole: each of its
   * chunks is then applied alone, as without this option. Default `false`.
   */
  groupCommit?: boolean;
  /**
   * Most bytes one fetch returns of a partition (kafkajs default 1 MiB). A chunk never spans two fetches, so
   * with small messages this, not `maxMessagesPerTransaction`, can be what bounds a chunk.
   */
  maxBytesPerPartition?: number;
  /**
   * Most bytes one fetch returns over all partitions (kafkajs default 10 MiB). The broker fills partitions until
   * this is reached, so with many partitions it, not `maxBytesPerPartition`, bounds each partition's batch.
   */
  maxBytes?: number;
  /** Group membership timing (kafkajs defaults: 30 s session, 3 s heartbeat, 60 s rebalance). */
  session?: { sessionTimeout?: number; heartbeatInterval?: number; rebalanceTimeout?: number };
  logger?: MessagingLogger;
}

interface ChunkOutcome {
  applied: number;
  duplicates: number;
  letters: Letter[];
}

/** A dead letter, with the correlation id of its event when it was decoded, for the log line. */
type Letter = DeadLetter & { correlationId?: string };

type Triaged = TriagedMessage<KafkaMessage>;

/** Messages of one partition applied in one transaction (alone, or with others under `groupCommit`). */
interface Chunk {
  topic: string;
  partition: number;
  items: readonly Triaged[];
}
type EventItem = Extract<Triaged, { kind: 'event' }>;
/** A valid new event and where it comes from. */
interface ConsumedItem {
  topic: string;
  partition: number;
  item: EventItem;
}
type PoisonFailure = Extract<FailureClass, { kind: 'poison' }>;

/** Thrown inside a chunk's transaction to roll it back and isolate the failing messages. */
class ChunkFailed extends Error {}

const DEFAULT_RETRY: RetryOptions = { initialMs: 200, maxMs: 10_000, maxAttempts: 8 };
const SAVEPOINT = 'ioc_segment';
const MAX_LOGGED_FLOWS = 50;
/** Merged transactions under way at once: one in Postgres while the next one's handler runs in Node. */
const GROUP_COMMITS_IN_FLIGHT = 2;

/**
 * Consumes Kafka topics into the service's database with exactly-once effects (docs/architecture.md,
 * "Messaging"):
 *
 * 1. each message is size-checked, decoded (CloudEvents, binary or structured) and validated; what fails
 *    goes to the DLQ;
 * 2. a chunk of a fetched batch is applied in ONE transaction (with `groupCommit`, together with the chunks of
 *    other partitions waiting at the time): one multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` into the
 *    inbox, then the handler for the ids that were new, in offset order (or the batch handler once, with all
 *    of them);
 * 3. a failure is sorted by {@link classifyFailure}. A transient one (database or broker down, deadlock)
 *    rolls the chunk back and retries it with backoff, heartbeating, offsets untouched; after
 *    `maxAttempts` the error goes to kafkajs, which restarts the consumer from the last committed offset;
 * 4. any other failure rolls the chunk back and bisects it, in a new transaction: each half is tried under
 *    a savepoint, a failing half is split again, until the message that fails on its own is found. That
 *    one is dead-lettered with the reason (its inbox row says so, and a redelivery does not dead-letter it
 *    twice); the healthy halves are applied, in offset order, once. So no message can hold a partition:
 *    a message fails for good only after it failed again on its own;
 * 5. dead letters are acknowledged by the broker before the transaction commits, and the offset is
 *    committed only after it: a crash in between redelivers messages whose ids the inbox already holds.
 *
 * {@link BatchConsumerRunner.healthProblems} says when the consumer is not ready: crashed, stopped,
 * retrying one chunk for too long, or messages waiting with no commit for too long.
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
  private readonly health: ConsumerHealth;
  private readonly groupCommit: Coalescer<Chunk, ChunkOutcome> | undefined;
  private untrack: () => void = () => undefined;
  private stopping: Promise<void> | undefined;

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
    this.health = new ConsumerHealth(options.consumerName, options.groupId, options.health);
    this.groupCommit = options.groupCommit
      ? new Coalescer({
          run: (chunks) =>
            this.applyTogether(chunks).catch((error: unknown) => this.mergedFailed(chunks, error)),
          weight: (chunk) => chunk.items.length,
          maxWeight: this.chunkSize,
          maxInFlight: GROUP_COMMITS_IN_FLIGHT,
        })
      : undefined;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      ...(options.maxBytesPerPartition === undefined
        ? {}
        : { maxBytesPerPartition: options.maxBytesPerPartition }),
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      ...options.session,
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts on retriable errors (ours included); anything else leaves the consumer dead.
      if (!payload.restart) this.health.crashed(describeError(payload.error));
      this.logger.error(
        { consumer: options.consumerName, error: describeError(payload.error), restart: payload.restart },
        'consumer crashed',
      );
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.health.assigned(payload.memberAssignment);
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
    this.health.running();
    this.untrack = trackProgress(this.health);
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

  /**
   * Finishes the chunk in flight (transaction and offset commit), leaves the group and disconnects. From
   * the first call on, the consumer reports itself stopped (not ready).
   */
  stop(): Promise<void> {
    this.health.stopped();
    this.untrack();
    this.stopping ??= this.consumer.disconnect();
    return this.stopping;
  }

  /**
   * Why the consumer is not ready, one sentence each (names of consumer, topic and partition, never
   * message contents); empty when it is. Not ready: crashed for good, stopped, retrying a transient fault
   * for longer than `health.retryingLimitMs`, or messages waiting on a partition with no commit for longer
   * than `health.stalledLimitMs`.
   */
  healthProblems(): string[] {
    return this.health.problems();
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    const labels = { consumer: this.options.consumerName, topic };
    this.health.fetched(topic, partition);
    this.metrics.lag.set({ ...labels, partition: String(partition) }, Number(batch.offsetLag()));
    const endTimer = this.metrics.batchDuration.startTimer(labels);
    try {
      for (let start = 0; start < batch.messages.length; start += this.chunkSize) {
        if (!payload.isRunning() || payload.isStale()) return;
        const messages = batch.messages.slice(start, start + this.chunkSize);
        const items = messages.map((message) => triageMessage(message, this.maxMessageBytes));
        const outcome = await this.applyChunk(payload, { topic, partition, items });
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
        this.health.committed(topic, partition, BigInt(nextOffset) >= BigInt(batch.highWatermark));
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
        this.health.retrying(topic, partition, attempt, describeError(error));
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

  /** Applies a chunk, in a merged transaction first under `groupCommit`; `undefined` as for {@link withRetries}. */
  private async applyChunk(payload: EachBatchPayload, chunk: Chunk): Promise<ChunkOutcome | undefined> {
    if (this.groupCommit) {
      try {
        return await this.groupCommit.submit(chunk);
      } catch {
        // Logged once for the whole merged transaction (mergedFailed); the chunk goes alone below.
      }
    }
    return this.withRetries(payload, () => this.processChunk(chunk));
  }

  /** One warning for a failed merged transaction, naming its chunks; the error goes on to each of them. */
  private mergedFailed(chunks: readonly Chunk[], error: unknown): never {
    this.logger.warn(
      {
        consumer: this.options.consumerName,
        chunks: chunks.map(({ topic, partition, items }) => ({ topic, partition, messages: items.length })),
        error: describeError(error instanceof ChunkFailed ? error.cause : error),
      },
      'a merged transaction failed; applying its chunks alone',
    );
    throw error;
  }

  /**
   * Applies chunks in one transaction, dead letters acknowledged before the commit. A failure of the chunks'
   * own (not transient) is thrown as {@link ChunkFailed}.
   */
  private applyTogether(chunks: readonly Chunk[]): Promise<ChunkOutcome[]> {
    return this.options.dataSource.transaction(async (manager) => {
      const outcomes = await this.applyChunks(manager, chunks).catch((error: unknown) => {
        throw classifyFailure(error).kind === 'transient'
          ? error
          : new ChunkFailed('chunk failed', { cause: error });
      });
      await this.publishLetters(outcomes.flatMap((outcome) => outcome.letters));
      return outcomes;
    });
  }

  private async processChunk(chunk: Chunk): Promise<ChunkOutcome> {
    const { dataSource } = this.options;
    const { topic, partition, items } = chunk;
    try {
      const [outcome] = await this.applyTogether([chunk]);
      return outcome;
    } catch (error) {
      if (!(error instanceof ChunkFailed)) throw error;
      this.logger.warn(
        {
          consumer: this.options.consumerName,
          topic,
          partition,
          firstOffset: items[0].message.offset,
          messages: items.length,
          error: describeError(error.cause),
        },
        'chunk failed; bisecting it to isolate the failing message',
      );
    }
    // Each attempt under a savepoint, so a failing half is undone alone; halves go in offset order, so
    // per-key order holds among the messages applied.
    return dataSource.transaction(async (manager) => {
      const outcome: ChunkOutcome = { applied: 0, duplicates: 0, letters: [] };
      await bisect(
        items,
        async (segment) => {
          const attempt = await this.underSavepoint(manager, () =>
            this.applyChunks(manager, [{ topic, partition, items: segment }]),
          );
          if (!attempt.ok) return attempt.failure;
          const [applied] = attempt.value;
          outcome.applied += applied.applied;
          outcome.duplicates += applied.duplicates;
          outcome.letters.push(...applied.letters);
          return undefined;
        },
        (item, failure) => this.deadLetter(manager, topic, partition, item, failure, outcome),
      );
      await this.publishLetters(outcome.letters);
      return outcome;
    });
  }

  /**
   * Runs `work` under a savepoint: rolled back to it when it fails for a reason other than a transient one,
   * which is thrown and ends the transaction.
   */
  private async underSavepoint<T>(
    manager: EntityManager,
    work: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; failure: PoisonFailure }> {
    await manager.query(`SAVEPOINT ${SAVEPOINT}`);
    try {
      const value = await work();
      await manager.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      return { ok: true, value };
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === 'transient') throw error;
      await manager.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      await manager.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      return { ok: false, failure };
    }
  }

  /** A message that failed on its own: to the DLQ, and into the inbox as dead-lettered if it has an id. */
  private async deadLetter(
    manager: EntityManager,
    topic: string,
    partition: number,
    item: Triaged,
    failure: PoisonFailure,
    outcome: ChunkOutcome,
  ): Promise<void> {
    // An invalid message fails only in the inbox (e.g. an id Postgres refuses): its own reason says more.
    const rejection = item.kind === 'event' ? failure : item;
    const correlationId = item.kind === 'event' ? item.event.correlationid : undefined;
    outcome.letters.push({
      ...this.letter(topic, partition, { ...rejection, message: item.message }),
      ...(correlationId === undefined ? {} : { correlationId }),
    });
    if (item.kind === 'undecodable') return;
    // An id Postgres refuses cannot be recorded; the letter goes all the same (a redelivery repeats it).
    await this.underSavepoint(manager, () =>
      this.inbox.record(manager, [{ eventId: idOf(item), outcome: 'dead-lettered' }]),
    );
  }

  /** One inbox statement for the chunks' messages, then the handlers of the new ids; an outcome per chunk. */
  private async applyChunks(manager: EntityManager, chunks: readonly Chunk[]): Promise<ChunkOutcome[]> {
    const firsts = firstOccurrences(chunks.flatMap((chunk) => chunk.items));
    const fresh = await this.inbox.record(
      manager,
      [...firsts].map((item) => ({ eventId: idOf(item), outcome: intendedOutcome(item) })),
    );
    const toApply: ConsumedItem[] = [];
    const outcomes = chunks.map(({ topic, partition, items }) => {
      const outcome: ChunkOutcome = { applied: 0, duplicates: 0, letters: [] };
      for (const item of items) {
        if (item.kind === 'undecodable') {
          outcome.letters.push(this.letter(topic, partition, item));
        } else if (!firsts.has(item) || !fresh.has(idOf(item))) {
          outcome.duplicates += 1;
        } else if (item.kind === 'invalid') {
          outcome.letters.push(this.letter(topic, partition, item));
        } else {
          toApply.push({ topic, partition, item });
          outcome.applied += 1;
        }
      }
      return outcome;
    });
    await this.apply(manager, toApply);
    return outcomes;
  }

  private async apply(manager: EntityManager, toApply: readonly ConsumedItem[]): Promise<void> {
    const { handler, batchHandler } = this.options;
    if (batchHandler) {
      if (toApply.length === 0) return;
      const events = toApply.map(({ topic, partition, item: { event, message } }) => ({
        event,
        topic,
        partition,
        offset: message.offset,
        headers: message.headers ?? {},
        timestamp: message.timestamp,
      }));
      await this.inCallContext(
        toApply.map(({ item }) => item),
        () => batchHandler(events, { manager }),
      );
      return;
    }
    for (const { topic, partition, item } of toApply) {
      await runInEventContext(item.event, () =>
        handler?.(item.event, context(manager, topic, partition, item.message)),
      );
    }
  }

  /** Runs a batch handler's call in one flow (see {@link BatchEventHandler}). */
  private inCallContext<T>(items: readonly EventItem[], fn: () => Promise<T>): Promise<T> {
    const first = items[0].event;
    const flows = [...new Set(items.map(({ event }) => event.correlationid))];
    if (flows.length === 1) return runInEventContext(first, fn);
    return runInEventContext({}, () => {
      this.logger.debug(
        {
          consumer: this.options.consumerName,
          correlationIds: flows.filter((id) => id !== undefined).slice(0, MAX_LOGGED_FLOWS),
        },
        'handling events of several flows in one call',
      );
      return fn();
    });
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
          ...(letter.correlationId === undefined ? {} : { correlationId: letter.correlationId }),
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
function firstOccurrences(items: readonly Triaged[]): Set<Identified> {
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
