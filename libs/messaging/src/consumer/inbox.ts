import { pgArrayLiteral, qualifiedTable } from '@ioc/database';
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
   * for a whole batch, answering with one row: no ids when every one was new (the usual case), else the new
   * ones, so that a chunk of thousands of events is not read back row by row.
   */
  async record(
    manager: EntityManager,
    entries: readonly { eventId: string; outcome: InboxOutcome }[],
  ): Promise<Set<string>> {
    if (entries.length === 0) return new Set();
    const ids = entries.map((e) => e.eventId);
    const [{ fresh }]: { fresh: string[] | null }[] = await manager.query(
      `WITH recorded AS (
         INSERT INTO ${qualifiedTable(manager, 'inbox')} (consumer, event_id, outcome)
         SELECT $1, event_id, outcome FROM unnest($2::text[], $3::text[]) AS t(event_id, outcome)
         ON CONFLICT (consumer, event_id) DO NOTHING
         RETURNING event_id)
       SELECT CASE WHEN count(*) = $4 THEN NULL ELSE COALESCE(array_agg(event_id), '{}') END AS fresh
       FROM recorded`,
      [this.consumer, pgArrayLiteral(ids), pgArrayLiteral(entries.map((e) => e.outcome)), new Set(ids).size],
    );
    return new Set(fresh ?? ids);
  }
}
