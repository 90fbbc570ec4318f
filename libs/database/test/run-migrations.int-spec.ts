import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource, quotedSchema, runMigrations } from '@ioc/database';
import { databaseUrl, uniqueSchema } from '@ioc/testing';

// Not idempotent on purpose: a second application would fail on CREATE TABLE and double the row.
class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = quotedSchema(runner);
    await runner.query(`CREATE TABLE ${schema}.widgets (id int PRIMARY KEY, applied_by text NOT NULL)`);
    // Widens the window in which a racing instance would also see the migration as pending.
    await runner.query('SELECT pg_sleep(0.3)');
    await runner.query(`INSERT INTO ${schema}.widgets VALUES (1, current_setting('application_name'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${quotedSchema(runner)}.widgets`);
  }
}

// The project's testTimeout is a per-project option jest-circus does not read; set it for this file.
jest.setTimeout(30_000);

describe(runMigrations.name, () => {
  const schema = uniqueSchema('migrations');
  const instances = ['a', 'b', 'c'].map((name) =>
    createDataSource({
      url: databaseUrl(),
      schema,
      migrations: [CreateWidgets1700000000000],
      applicationName: `instance-${name}`,
      poolSize: 2,
    }),
  );

  afterAll(async () => {
    await instances[0].query(`DROP SCHEMA IF EXISTS ${quotedSchema(instances[0])} CASCADE`);
    await Promise.all(instances.map((instance) => instance.destroy()));
  });

  it('applies each migration once when several instances start at the same time', async () => {
    const results = await Promise.all(instances.map((instance) => runMigrations(instance)));

    expect(results.flat()).toEqual(['CreateWidgets1700000000000']);
    const rows: { id: number }[] = await instances[0].query(
      `SELECT id FROM ${quotedSchema(instances[0])}.widgets`,
    );
    expect(rows).toEqual([{ id: 1 }]);
  });

  it('keeps the migration history in the service schema and applies nothing when up to date', async () => {
    expect(await runMigrations(instances[1])).toEqual([]);
    const history: { name: string }[] = await instances[1].query(
      `SELECT name FROM ${quotedSchema(instances[1])}.migrations`,
    );
    expect(history).toEqual([{ name: 'CreateWidgets1700000000000' }]);
  });
});
