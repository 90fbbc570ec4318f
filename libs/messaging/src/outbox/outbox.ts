import { encodeKafkaMessage, validateEvent, InvalidEventError, type IocEvent } from '@ioc/contracts';
import { qualifiedTable } from '@ioc/database';
import type { EntityManager } from 'typeorm';
import { MessagingError } from '../messaging.errors';
import { withTraceContext } from '../producer/event-trace';

/**
 * The producing half of the transactional outbox (docs/architecture.md, "Nothing lost"): a service calls
 * {@link Outbox.enqueue} inside the transaction that changes its state, so the change and the events
 * announcing it commit together or not at all. {@link OutboxRelay} publishes them afterwards.
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
    const ids: string[] = [];
    const keys: string[] = [];
    const headers: string[] = [];
    const payloads: Buffer[] = [];
    for (const event of withTraceContext(events)) {
      const validated = validateEvent(event);
      if (!validated.ok) throw new InvalidEventError(validated.reason, validated.detail);
      const record = encodeKafkaMessage(event, 'binary');
      ids.push(event.id);
      keys.push(record.key);
      headers.push(JSON.stringify(record.headers));
      payloads.push(record.value);
    }
    // ORDER BY ordinality: `seq` (the relay's publishing order) must follow the caller's order, which for
    // events of one aggregate is their order on the partition.
    await manager.query(
      `INSERT INTO ${qualifiedTable(manager, 'outbox')} (event_id, topic, message_key, headers, payload)
       SELECT event_id, $1, message_key, headers, payload
       FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::bytea[])
         WITH ORDINALITY AS t(event_id, message_key, headers, payload, position)
       ORDER BY position`,
      [topic, ids, keys, headers, payloads],
    );
  }
}
