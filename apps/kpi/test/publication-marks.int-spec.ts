import { createDataSource, runMigrations } from '@ioc/database';
import { databaseUrl, dropTestData, uniqueSchema } from '@ioc/testing';
import { kpiMigrations } from '../src/migrations';
import { KpiPublicationMarks1796200000000 } from '../src/migrations/kpi-publication-marks.migration';

/** A schema migrated up to the migration before the one under test. */
const before = kpiMigrations.slice(0, kpiMigrations.indexOf(KpiPublicationMarks1796200000000));

describe('kpi migration: publication marks move into the aggregates', () => {
  const schema = uniqueSchema('kpi_marks');
  const open = (migrations: typeof kpiMigrations) =>
    createDataSource({ url: databaseUrl(), schema, migrations, applicationName: 'kpi-marks-spec' });

  afterAll(() => dropTestData({ suffix: schema, schemas: [schema] }));

  it('keeps each key dirty or published as it was, and undoes to the same rows', async () => {
    const old = open(before);
    await runMigrations(old);
    const key = (code: string) =>
      `('${code}', 'city', 'hai-phong', 'month', '2026-10-31T17:00:00Z', '2026-11-30T17:00:00Z')`;
    await old.query(`INSERT INTO "${schema}".aggregates
      (kpi_code, dimension_kind, dimension_code, period, period_start, period_end) VALUES
      ${['dirty-never-published', 'dirty-published', 'clean', 'unmarked'].map(key).join(', ')}`);
    await old.query(`INSERT INTO "${schema}".publications
      (kpi_code, dimension_kind, dimension_code, period, period_start, period_end, dirty, published_at)
      VALUES ${key('dirty-never-published').replace(/\)$/, ', true, NULL)')},
        ${key('dirty-published').replace(/\)$/, ", true, '2026-11-30T01:00:00Z')")},
        ${key('clean').replace(/\)$/, ", false, '2026-11-30T02:00:00Z')")}`);
    await old.destroy();

    const migrated = open([...before, KpiPublicationMarks1796200000000]);
    await runMigrations(migrated);
    const marks = () =>
      migrated.query(
        `SELECT kpi_code, dirty, published_at FROM "${schema}".aggregates ORDER BY kpi_code`,
      ) as Promise<{ kpi_code: string; dirty: boolean; published_at: Date | null }[]>;
    const expected = [
      { kpi_code: 'clean', dirty: false, published_at: new Date('2026-11-30T02:00:00Z') },
      { kpi_code: 'dirty-never-published', dirty: true, published_at: null },
      { kpi_code: 'dirty-published', dirty: true, published_at: new Date('2026-11-30T01:00:00Z') },
      { kpi_code: 'unmarked', dirty: false, published_at: null },
    ];
    expect(await marks()).toEqual(expected);
    const [{ exists }] = await migrated.query(
      `SELECT to_regclass('"${schema}".publications') IS NOT NULL AS exists`,
    );
    expect(exists).toBe(false);

    await migrated.undoLastMigration();
    expect(
      await migrated.query(
        `SELECT kpi_code, dirty, published_at FROM "${schema}".publications ORDER BY kpi_code`,
      ),
    ).toEqual(expected.filter((row) => row.kpi_code !== 'unmarked'));
    await migrated.destroy();
  });
});
