import { quotedSchema, schemaOf } from '@ioc/database';
import { escapeLiteral } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxChannel } from './outbox-channel';

/**
 * Creates the transactional outbox and the consumer inbox in the data source's schema. Services list it in
 * their `migrations`; it reads the schema from the data source, so it works in any service (and test)
 * schema.
 *
 * - `outbox`: one row per event awaiting publication, holding the exact Kafka record (key, headers, value
 *   bytes) encoded when the service's transaction ran. The relay deletes a row once Kafka acknowledged it
 *   instead of marking it sent: the table stays as small as the backlog, the claim query never wades
 *   through published rows, and no high-water mark exists that a late-committing lower `seq` could slip
 *   under. Kafka is the record of what was published.
 * - a statement-level trigger that `pg_notify`s the schema's channel, waking the relay at commit.
 * - `inbox`: (consumer, event id) seen, with the outcome, for idempotent consumers.
 */
export class MessagingOutboxInbox1795305600000 implements MigrationInterface {
  readonly name = 'MessagingOutboxInbox1795305600000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = quotedSchema(runner);
    await runner.query(`
      CREATE TABLE ${schema}.outbox (
        seq bigserial PRIMARY KEY,
        event_id text NOT NULL CONSTRAINT outbox_event_id_key UNIQUE,
        topic text NOT NULL,
        message_key text NOT NULL,
        headers jsonb NOT NULL,
        payload bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Notifications are delivered at commit and folded per transaction, so one per statement is plenty.
    await runner.query(`
      CREATE FUNCTION ${schema}.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify(${escapeLiteral(outboxChannel(schemaOf(runner)))}, '');
        RETURN NULL;
      END
      $$`);
    await runner.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON ${schema}.outbox
      FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.outbox_notify()`);
    await runner.query(`
      CREATE TABLE ${schema}.inbox (
        consumer text NOT NULL,
        event_id text NOT NULL,
        outcome text NOT NULL CONSTRAINT inbox_outcome_check CHECK (outcome IN ('applied', 'dead-lettered')),
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = quotedSchema(runner);
    await runner.query(`DROP TABLE ${schema}.inbox`);
    await runner.query(`DROP TABLE ${schema}.outbox`);
    await runner.query(`DROP FUNCTION ${schema}.outbox_notify()`);
  }
}
