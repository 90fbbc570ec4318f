import { qualifiedTable, schemaOf } from '@ioc/database';
import { Client, escapeIdentifier, type ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { silentLogger, type MessagingLogger } from '../logger';
import { describeError } from '../messaging.errors';
import { messagingMetrics } from '../metrics';
import { RecordSender, type OutboundRecord, type RecordHeaders } from '../producer/record-sender';
import { outboxChannel } from './outbox-channel';

/** Tuning of an {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  /** The service's data source; the relay serves the outbox of its schema. */
  dataSource: DataSource;
  /** Publishes with acks=all; an idempotent {@link EventProducer} in production. */
  sender: RecordSender;
  /** Rows claimed, published and deleted per transaction. Default 500. */
  batchSize?: number;
  /** Fallback poll when no notification arrives (missed while reconnecting, or another relay's turn). Default 1000 ms. */
  pollIntervalMs?: number;
  /**
   * How long a notification waits for more commits before the relay claims them. Default 25 ms: at a few hundred
   * commits a second, 5 ms gave batches of about 4 events (a transaction and a Kafka produce every two
   * submissions); 25 ms gives about 7 at 300/s and 33 under a closed loop, for at most 25 ms more before an
   * event reaches Kafka (docs/bench.md, "Reports").
   */
  coalesceMs?: number;
  logger?: MessagingLogger;
}

// Advisory locks are database-wide; the two-key form (namespace, schema) gives each schema its own lock.
const RELAY_LOCK_NAMESPACE = 'ioc.outbox-relay';
const MAX_BACKOFF_MS = 30_000;

interface OutboxRow {
  seq: string;
  topic: string;
  message_key: string;
  headers: RecordHeaders;
  payload: Buffer;
}

/**
 * Publishes the outbox of one schema to Kafka, at least once and in `seq` order per key.
 *
 * Each batch is one transaction: take the schema's transaction-level advisory lock, claim the oldest rows
 * (`FOR UPDATE SKIP LOCKED`), publish them and wait for the acks, delete them, commit. The lock makes the
 * relays of one service take turns batch by batch: with SKIP LOCKED alone, two relays would claim
 * neighbouring batches and could publish a key's later rows before its earlier ones. Because the lock is
 * released only when the deletes are committed, the next relay's claim starts after the rows just sent.
 * A relay killed anywhere leaves its batch undeleted (Postgres rolls the transaction back and frees the
 * lock), and whoever runs next republishes it: duplicates are possible, losses are not; consumers
 * deduplicate by event id.
 *
 * Woken by LISTEN/NOTIFY on a dedicated connection (the channel of its schema), with a poll as fallback.
 */
export class OutboxRelay {
  private readonly schema: string;
  private readonly table: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly logger: MessagingLogger;
  private readonly metrics = messagingMetrics();
  private running = false;
  private loopDone: Promise<void> | undefined;
  private listener: Client | undefined;
  private wakeRequested = false;
  private backingOff = false;
  private wakeUp: (() => void) | undefined;
  private coalescing: NodeJS.Timeout | undefined;
  private readonly coalesceMs: number;

  constructor(private readonly options: OutboxRelayOptions) {
    this.schema = schemaOf(options.dataSource);
    this.table = qualifiedTable(options.dataSource, 'outbox');
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.coalesceMs = options.coalesceMs ?? 25;
    this.logger = options.logger ?? silentLogger;
  }

  /** Starts listening and publishing in the background; returns once the loop runs. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Lets the batch in flight commit, then stops and closes the listening connection. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.backingOff = false;
    this.wake();
    await this.loopDone;
    await this.closeListener();
  }

  /** Publishes batches until the outbox is empty or another relay of the schema has the lock. */
  private async drain(): Promise<number> {
    let published = 0;
    for (;;) {
      // Cleared before the claim: a notification arriving from here on triggers another round.
      this.wakeRequested = false;
      const claimed = await this.publishBatch();
      if (claimed === 'busy') return published;
      published += claimed;
      if (claimed < this.batchSize || !this.running) return published;
    }
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let pause = this.pollIntervalMs;
      try {
        if (!this.listener) await this.listen();
        await this.drain();
        await this.refreshBacklogEvery(this.pollIntervalMs);
        failures = 0;
      } catch (error) {
        failures += 1;
        pause = Math.min(MAX_BACKOFF_MS, this.pollIntervalMs * 2 ** failures);
        this.logger.warn(
          { schema: this.schema, error: describeError(error), retryInMs: pause },
          'outbox relay failed; the batch stays in the outbox and is retried',
        );
        // The listening connection may be what broke; a new one is made on the next round.
        await this.closeListener();
        // Notifications keep coming while, say, Kafka is down; the backoff must hold regardless.
        this.backingOff = true;
      }
      await this.sleep(pause);
      this.backingOff = false;
    }
  }

  private async publishBatch(): Promise<number | 'busy'> {
    const endTimer = this.metrics.relayPublishDuration.startTimer({ schema: this.schema });
    const result = await this.options.dataSource.transaction(async (manager) => {
      const [{ locked }]: { locked: boolean }[] = await manager.query(
        'SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS locked',
        [RELAY_LOCK_NAMESPACE, this.schema],
      );
      if (!locked) return 'busy' as const;
      const rows: OutboxRow[] = await manager.query(
        `SELECT seq, topic, message_key, headers, payload FROM ${this.table}
         ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (rows.length === 0) return 0;
      await this.options.sender.sendRecords(rows.map(toRecord));
      // By the claimed seqs, never by range: a row with a seq inside the range may have committed after
      // the claim and is not published yet.
      await manager.query(`DELETE FROM ${this.table} WHERE seq = ANY($1::bigint[])`, [
        rows.map((row) => row.seq),
      ]);
      return rows.length;
    });
    if (typeof result === 'number' && result > 0) {
      endTimer();
      this.metrics.outboxPublished.inc({ schema: this.schema }, result);
    }
    return result;
  }

  // The gauge needs a count over the table; under a steady stream of notifications the relay wakes for
  // every commit, and counting each time would cost more than the publishing. Once per poll interval.
  private lastBacklogRefresh = 0;

  private async refreshBacklogEvery(intervalMs: number): Promise<void> {
    if (Date.now() - this.lastBacklogRefresh < intervalMs) return;
    this.lastBacklogRefresh = Date.now();
    await this.refreshBacklog();
  }

  private async refreshBacklog(): Promise<void> {
    const [{ backlog }]: { backlog: number }[] = await this.options.dataSource.query(
      `SELECT count(*)::int AS backlog FROM ${this.table}`,
    );
    this.metrics.outboxBacklog.set({ schema: this.schema }, backlog);
  }

  private async listen(): Promise<void> {
    const client = new Client(listenerConfig(this.options.dataSource));
    client.on('notification', () => this.wake());
    client.on('error', (error) => {
      this.logger.warn(
        { schema: this.schema, error: describeError(error) },
        'outbox listener connection lost',
      );
      if (this.listener === client) this.listener = undefined;
      client.end().catch(() => undefined);
      this.wake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${escapeIdentifier(outboxChannel(this.schema))}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.listener = client;
  }

  private async closeListener(): Promise<void> {
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
  }

  private wake(): void {
    this.wakeRequested = true;
    if (this.backingOff || !this.wakeUp) return;
    // Commits arrive in bursts (one notification each); waiting a few milliseconds lets one claim publish
    // the burst as a batch instead of a transaction and a produce request per commit. Stopping wakes at once.
    if (!this.running || this.coalesceMs === 0) this.wakeUp();
    else this.coalescing ??= setTimeout(() => this.wakeUp?.(), this.coalesceMs);
  }

  private async sleep(ms: number): Promise<void> {
    if ((this.wakeRequested && !this.backingOff) || !this.running) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
    clearTimeout(this.coalescing);
    this.coalescing = undefined;
  }
}

function toRecord(row: OutboxRow): OutboundRecord {
  return { topic: row.topic, key: row.message_key, value: row.payload, headers: row.headers };
}

// LISTEN needs a session of its own for the relay's lifetime; a pooled connection would be handed back.
function listenerConfig(dataSource: DataSource): ClientConfig {
  const options = dataSource.options as PostgresConnectionOptions;
  return {
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.username,
    password: options.password,
    database: options.database,
    // TypeORM and node-postgres type the same TLS options differently.
    ssl: options.ssl as ClientConfig['ssl'],
    application_name: `${options.applicationName ?? 'ioc'}:outbox-listener`,
  };
}
