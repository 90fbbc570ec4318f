import { quotedSchema } from '@ioc/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sweep deletes idempotency keys past their replay window in small batches, oldest first: an index on
 * `created_at` keeps each batch from scanning the whole table.
 */
export class IdempotencyKeysExpiry1795510000000 implements MigrationInterface {
  readonly name = 'IdempotencyKeysExpiry1795510000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    await runner.query(`CREATE INDEX idempotency_keys_created_at ON ${s}.idempotency_keys (created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX ${quotedSchema(runner)}.idempotency_keys_created_at`);
  }
}
