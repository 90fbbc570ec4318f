import { quotedSchema } from '@ioc/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const KEY = 'kpi_code, dimension_kind, dimension_code, period, period_start';

/**
 * A key's publication state (dirty, last published) moves from a table of its own into its aggregate's row
 * (docs/architecture.md, "KPI service"), so that the fold writes a changed key once, not twice. Aggregates leave
 * room on their pages for updates that change no indexed column (HOT updates).
 */
export class KpiPublicationMarks1796200000000 implements MigrationInterface {
  readonly name = 'KpiPublicationMarks1796200000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    await runner.query(`
      ALTER TABLE ${s}.aggregates
        ADD COLUMN dirty boolean NOT NULL DEFAULT false,
        ADD COLUMN published_at timestamptz,
        SET (fillfactor = 80)`);
    await runner.query(`
      UPDATE ${s}.aggregates a SET dirty = p.dirty, published_at = p.published_at
      FROM ${s}.publications p WHERE (a.${KEY.replaceAll(', ', ', a.')}) = (p.${KEY.replaceAll(', ', ', p.')})`);
    await runner.query(`DROP TABLE ${s}.publications`);
    await runner.query(`CREATE INDEX aggregates_due_idx ON ${s}.aggregates (published_at) WHERE dirty`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    await runner.query(`
      CREATE TABLE ${s}.publications (
        kpi_code text NOT NULL, dimension_kind text NOT NULL, dimension_code text NOT NULL, period text NOT NULL,
        period_start timestamptz NOT NULL, period_end timestamptz NOT NULL, dirty boolean NOT NULL DEFAULT true,
        published_at timestamptz, PRIMARY KEY (${KEY}))`);
    await runner.query(`
      INSERT INTO ${s}.publications
      SELECT ${KEY}, period_end, dirty, published_at FROM ${s}.aggregates WHERE dirty OR published_at IS NOT NULL`);
    await runner.query(`CREATE INDEX publications_dirty_idx ON ${s}.publications (published_at) WHERE dirty`);
    await runner.query(
      `ALTER TABLE ${s}.aggregates DROP COLUMN dirty, DROP COLUMN published_at, RESET (fillfactor)`,
    );
  }
}
