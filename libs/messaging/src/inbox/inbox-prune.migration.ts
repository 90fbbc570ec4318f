import { quotedSchema } from '@ioc/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the inbox by `processed_at`, which {@link InboxPruner} deletes by. Rows of one consumer transaction
 * share their `processed_at` (`now()` is the transaction's start), so B-tree deduplication keeps the index
 * small, and every insert lands on its rightmost leaf.
 *
 * Migrations run in one transaction, so this cannot be `CONCURRENTLY`, and building it blocks the inbox's
 * inserts for as long as the build takes. On a deployment whose inbox already holds many rows, build the
 * index by hand first, `CREATE INDEX CONCURRENTLY inbox_processed_at_idx ON <schema>.inbox (processed_at)`
 * (check that it is valid), and this migration does nothing (docs/architecture.md "Messaging").
 */
export class MessagingInboxProcessedAt1795600000000 implements MigrationInterface {
  readonly name = 'MessagingInboxProcessedAt1795600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX IF NOT EXISTS inbox_processed_at_idx ON ${quotedSchema(runner)}.inbox (processed_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX ${quotedSchema(runner)}.inbox_processed_at_idx`);
  }
}
