import { quotedSchema } from '@ioc/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * More room on aggregate and histogram pages for updates that change no indexed column (HOT updates): the fold
 * adds to the same rows chunk after chunk, and an update that finds no room on its page writes a new entry in
 * every index. Applies to pages written from now on.
 */
export class KpiHotUpdates1796300000000 implements MigrationInterface {
  readonly name = 'KpiHotUpdates1796300000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    await runner.query(`ALTER TABLE ${s}.aggregates SET (fillfactor = 50)`);
    await runner.query(`ALTER TABLE ${s}.histogram_buckets SET (fillfactor = 70)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    await runner.query(`ALTER TABLE ${s}.aggregates SET (fillfactor = 80)`);
    await runner.query(`ALTER TABLE ${s}.histogram_buckets RESET (fillfactor)`);
  }
}
