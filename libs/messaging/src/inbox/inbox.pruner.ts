import { TOPIC_CATALOG, type TopicSpec } from '@ioc/contracts';
import { PeriodicTask, qualifiedTable, schemaOf } from '@ioc/database';
import type { DataSource, QueryRunner } from 'typeorm';
import { silentLogger, type MessagingLogger } from '../logger';
import { describeError } from '../messaging.errors';
import { messagingMetrics } from '../metrics';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Added to a topic's `retention.ms` before an inbox row may go. Kafka deletes whole segments once their newest
 * record is older than `retention.ms`, and a segment rolls at the latest after `segment.ms` (7 days unless
 * the topic sets it; the catalog's topics do not), so a record can still be read, and redelivered, up to
 * retention + segment.ms after it was appended; an hour more covers clock skew between broker and database.
 */
export const DEFAULT_INBOX_MARGIN_MS = 7 * DAY_MS + HOUR_MS;

/** Why no default retention could be derived for a service's inbox. */
export type InboxRetentionUnknown =
  | { reason: 'consumes-nothing'; service: string }
  | { reason: 'keeps-forever'; service: string; topics: string[] };

/**
 * How long a service's inbox must remember an event id: the longest `retention.ms` of the catalog's topics the
 * service consumes, plus `marginMs`. A redelivery (a crash before the offset commit, a consumer group reset to
 * the earliest offset) can only bring back what Kafka still holds. None when the service consumes no catalog
 * topic, or a topic that keeps records forever (compacted, or no retention), whose ids must be kept for ever.
 */
export function defaultInboxRetention(
  service: string,
  {
    marginMs = DEFAULT_INBOX_MARGIN_MS,
    catalog = TOPIC_CATALOG,
  }: { marginMs?: number; catalog?: readonly TopicSpec[] } = {},
): { ok: true; retentionMs: number } | ({ ok: false } & InboxRetentionUnknown) {
  const consumed = catalog.filter((spec) => spec.consumers.includes(service));
  if (consumed.length === 0) return { ok: false, reason: 'consumes-nothing', service };
  const forever = consumed.filter((spec) => spec.cleanupPolicy === 'compact' || spec.retentionMs === null);
  if (forever.length > 0) {
    return { ok: false, reason: 'keeps-forever', service, topics: forever.map((spec) => spec.name) };
  }
  return {
    ok: true,
    retentionMs: Math.max(...consumed.map((spec) => spec.retentionMs as number)) + marginMs,
  };
}

/** Tuning of an {@link InboxPruner}. */
export interface InboxPrunerOptions {
  /** The service's data source; the pruner serves the inbox of its schema. */
  dataSource: DataSource;
  /** Rows whose `processed_at` is older than this (by the database's clock) are deleted. */
  retentionMs: number;
  /** Rows deleted per statement. Default 5000. */
  batchSize?: number;
  /** Time between runs. Default 5 minutes. */
  intervalMs?: number;
  logger?: MessagingLogger;
}

/** What one {@link InboxPruner.pruneOnce} did: `busy` when another pruner of the schema was running. */
export type PruneResult = { ran: true; deleted: number; batches: number } | { ran: false; reason: 'busy' };

// Advisory locks are database-wide; the two-key form (namespace, schema) gives each schema its own lock.
const PRUNER_LOCK_NAMESPACE = 'ioc.inbox-pruner';

/**
 * Deletes the inbox rows of one schema that are older than the retention, on a schedule, in bounded batches.
 *
 * Batched deletes by an index on `processed_at` rather than a table partitioned by day: the inbox's primary
 * key (consumer, event id) is what makes a redelivered id conflict, and a unique key of a partitioned table
 * must contain the partition key, so a redelivery on another day would land in another partition and be
 * applied twice. Each batch is its own short statement (`ctid = ANY(ARRAY(… LIMIT n))`, a TID scan), so no
 * long transaction holds back vacuum, no lock is held on rows a consumer could want (pruned rows are beyond
 * what Kafka can redeliver), and the consumers' inserts go on in between (docs/architecture.md "Messaging").
 *
 * One pruner per schema runs at a time across instances: a run holds a session advisory lock on a
 * connection of its own and others skip their turn. A pruner killed mid-run loses its session and the lock.
 */
export class InboxPruner {
  private readonly schema: string;
  private readonly table: string;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly logger: MessagingLogger;
  private readonly metrics = messagingMetrics();
  private stopping = false;
  private readonly task: PeriodicTask;

  constructor(private readonly options: InboxPrunerOptions) {
    if (!Number.isSafeInteger(options.retentionMs) || options.retentionMs <= 0) {
      throw new RangeError(
        `inbox retention must be a positive number of milliseconds, got ${options.retentionMs}`,
      );
    }
    this.schema = schemaOf(options.dataSource);
    this.table = qualifiedTable(options.dataSource, 'inbox');
    this.batchSize = options.batchSize ?? 5_000;
    this.intervalMs = options.intervalMs ?? 5 * 60 * 1000;
    this.logger = options.logger ?? silentLogger;
    this.task = new PeriodicTask(
      this.intervalMs,
      async () => {
        const result = await this.pruneOnce();
        if (result.ran && result.deleted > 0) {
          this.logger.info(
            { schema: this.schema, deleted: result.deleted, batches: result.batches },
            'inbox pruned',
          );
        }
      },
      (error) =>
        this.logger.warn(
          { schema: this.schema, error: describeError(error) },
          'inbox pruning failed; retried at the next interval',
        ),
      { runAtStart: true },
    );
  }

  /** Runs now and then every interval, in the background. */
  async start(): Promise<void> {
    this.stopping = false;
    this.task.start();
  }

  /** Lets the batch in flight finish, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.task.stop();
  }

  /**
   * Deletes every row older than the retention, batch by batch, unless another pruner of the schema is running.
   * Stops early (between batches) when {@link stop} is called.
   */
  async pruneOnce(): Promise<PruneResult> {
    const runner = this.options.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }]: { locked: boolean }[] = await runner.query(
        'SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked',
        [PRUNER_LOCK_NAMESPACE, this.schema],
      );
      if (!locked) return { ran: false, reason: 'busy' };
      try {
        return { ran: true, ...(await this.deleteExpired(runner)) };
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [
          PRUNER_LOCK_NAMESPACE,
          this.schema,
        ]);
      }
    } finally {
      await runner.release();
    }
  }

  private async deleteExpired(runner: QueryRunner): Promise<{ deleted: number; batches: number }> {
    // One cutoff per run, by the database's clock (the one that wrote processed_at): a run has an end.
    const [{ cutoff }]: { cutoff: Date }[] = await runner.query(
      `SELECT now() - $1::bigint * interval '1 millisecond' AS cutoff`,
      [this.options.retentionMs],
    );
    let deleted = 0;
    let batches = 0;
    for (;;) {
      // Autocommitted: each batch is its own transaction.
      const [, count]: [unknown, number] = await runner.query(
        `DELETE FROM ${this.table} WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM ${this.table} WHERE processed_at < $1 LIMIT $2))`,
        [cutoff, this.batchSize],
      );
      if (count > 0) {
        batches += 1;
        deleted += count;
        this.metrics.inboxPruned.inc({ schema: this.schema }, count);
      }
      if (count < this.batchSize || this.stopping) return { deleted, batches };
    }
  }
}
