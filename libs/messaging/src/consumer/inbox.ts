import { qualifiedTable } from '@ioc/database';
import type { EntityManager } from 'typeorm';

/** How an inbox row ended: its effect committed, or the event went to the DLQ. */
export type InboxOutcome = 'applied' | 'dead-lettered';

/**
 * The consumer side of idempotency: one row per (consumer, event id), written in the transaction that
 * applies the event, so a redelivered id is recognised (docs/architecture.md, "Messaging"). Raw SQL: this is
 * the hot path of every consumer.
 */
export class Inbox {
  constructor(private readonly consumer: string) {}

  /**
   * Records the ids not seen before and returns them; ids already recorded are left alone. One statement
   * for a whole batch.
   */
  async record(
    manager: EntityManager,
    entries: readonly { eventId: string; outcome: InboxOutcome }[],
  ): Promise<Set<string>> {
    if (entries.length === 0) return new Set();
    const rows: { event_id: string }[] = await manager.query(
      `INSERT INTO ${qualifiedTable(manager, 'inbox')} (consumer, event_id, outcome)
       SELECT $1, event_id, outcome FROM unnest($2::text[], $3::text[]) AS t(event_id, outcome)
       ON CONFLICT (consumer, event_id) DO NOTHING
       RETURNING event_id`,
      [this.consumer, entries.map((e) => e.eventId), entries.map((e) => e.outcome)],
    );
    return new Set(rows.map((row) => row.event_id));
  }
}
