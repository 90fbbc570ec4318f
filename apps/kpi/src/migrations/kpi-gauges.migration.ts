import { quotedSchema } from '@ioc/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gauge KPIs: the latest known state of each gauge entity (the event it comes from, whether it counts and in
 * which dimension values), against which a newer event is booked.
 */
export class KpiGauges1796100000000 implements MigrationInterface {
  readonly name = 'KpiGauges1796100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ${quotedSchema(runner)}.gauge_entities (
        kpi_code text NOT NULL,
        entity_id text NOT NULL,
        at timestamptz NOT NULL,
        event_id text NOT NULL,
        counted boolean NOT NULL,
        dimensions jsonb NOT NULL,
        PRIMARY KEY (kpi_code, entity_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${quotedSchema(runner)}.gauge_entities`);
  }
}
