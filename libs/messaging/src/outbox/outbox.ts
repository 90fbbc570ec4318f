import { encodeKafkaMessage, validateEvent, InvalidEventError, type IocEvent } from '@ioc/contracts';
import { qualifiedTable } from '@ioc/database';
import type { EntityManager } from 'typeorm';
import { MessagingError } from '../messaging.errors';
import { withTraceContext } from '../producer/event-trace';

/** An outbox insert as SQL and its parameters, for a statement of its own or a data-modifying CTE. */
export interface OutboxInsert {
  sql: string;
  parameters: unknown[];
}

/**
 * Outbox rows checked and encoded ({@link Outbox.rows}), for a caller that writes them with its own statement:
 * its change and its rows in one statement are atomic without a transaction of their own.
 */
export class OutboxRows {
  private constructor(
    private readonly topic: string,
    /** The events as stored, with the correlation id and traceparent they were stamped with. */
    readonly events: readonly IocEvent[],
    private readonly ids: readonly string[],
    private readonly keys: readonly string[],
    private readonly headers: readonly string[],
    private readonly payloads: readonly Buffer[],
  ) {}

  /** Checks, stamps and encodes `events`: see {@link Outbox.enqueue}. */
  static of(topic: string, events: readonly IocEvent[]): OutboxRows {
    const stamped = withTraceContext(events);
    const ids: string[] = [];
    const keys: string[] = [];
    const headers: string[] = [];
    const payloads: Buffer[] = [];
    for (const event of stamped) {
      const validated = validateEvent(event);
      if (!validated.ok) throw new InvalidEventError(validated.reason, validated.detail);
      const record = encodeKafkaMessage(event, 'binary');
      ids.push(event.id);
      keys.push(record.key);
      headers.push(JSON.stringify(record.headers));
      payloads.push(record.value);
    }
    return new OutboxRows(topic, stamped, ids, keys, headers, payloads);
  }

  get size(): number {
    return this.ids.length;
  }

  /**
   * The `INSERT` of these rows into the outbox of `manager`'s schema, its parameters numbered from `$first`:
   * the caller appends them, in order, to its statement's own. Used as a data-modifying CTE
   * (`WITH …, outbox AS (<sql>) …`), it commits with the statement, and the outbox's statement trigger
   * wakes the relay as it does for {@link Outbox.enqueue}. Insert only rows that are not empty (the trigger
   * fires per statement).
   */
  insert(manager: EntityManager, first = 1): OutboxInsert {
    const $ = (n: number) => `$${first + n}`;
    // ORDER BY ordinality: `seq` (the relay's publishing order) must follow the caller's order, which for
    // events of one aggregate is their order on the partition.
    return {
      sql: `INSERT INTO ${qualifiedTable(manager, 'outbox')} (event_id, topic, message_key, headers, payload)
       SELECT event_id, ${$(0)}, message_key, headers, payload
       FROM unnest(${$(1)}::text[], ${$(2)}::text[], ${$(3)}::jsonb[], ${$(4)}::bytea[])
         WITH ORDINALITY AS t(event_id, message_key, headers, payload, position)
       ORDER BY position`,
      parameters: [this.topic, this.ids, this.keys, this.headers, this.payloads],
    };
  }
}

/**
 * The producing half of the transactional outbox (docs/architecture.md, "Nothing lost"): a service calls
 * {@link Outbox.enqueue} inside the transaction that changes its state, so the change and the events
 * announcing it commit together or not at all; or, on a hot path, writes {@link Outbox.rows} in the very
 * statement of its change. {@link OutboxRelay} publishes them afterwards.
 */
export class Outbox {
  /**
   * Stores `events` for publication on `topic` (a suffixed topic name, e.g. `topicName(Topics.reportsEvents,
   * suffix)`), encoded now as CloudEvents binary-mode records keyed by subject. An event without a
   * `correlationid` or `traceparent` gets the current flow's (see {@link withTraceContext}). Every event is
   * checked against the contract; one `createEvent` checked is taken as checked and encoded then.
   * @throws MessagingError `MESSAGING.OUTBOX_OUTSIDE_TRANSACTION` when `manager` is not in a transaction
   * @throws InvalidEventError when an event breaks its contract (it would only poison every consumer)
   */
  async enqueue(manager: EntityManager, topic: string, events: readonly IocEvent[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new MessagingError(
        'MESSAGING.OUTBOX_OUTSIDE_TRANSACTION',
        "Outbox.enqueue needs the EntityManager of the caller's transaction",
      );
    }
    if (events.length === 0) return;
    const { sql, parameters } = this.rows(topic, events).insert(manager);
    await manager.query(sql, parameters);
  }

  /**
   * The rows {@link Outbox.enqueue} would store for `events` on `topic`, checked and encoded now, for the
   * caller to insert with its own statement ({@link OutboxRows.insert}): one round trip for a change and its
   * events, atomic even outside a transaction. The same rows, byte for byte, as `enqueue` writes.
   * @throws InvalidEventError when an event breaks its contract
   */
  rows(topic: string, events: readonly IocEvent[]): OutboxRows {
    return OutboxRows.of(topic, events);
  }
}
