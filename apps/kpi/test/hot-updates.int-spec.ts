import { createDataSource, runMigrations } from '@ioc/database';
import { databaseUrl, dropTestData, uniqueSchema } from '@ioc/testing';
import { kpiMigrations } from '../src/migrations';
import { KpiHotUpdates1796300000000 } from '../src/migrations/kpi-hot-updates.migration';

/** A schema migrated up to the migration under test (the next one moves the histograms into the aggregates). */
const upTo = kpiMigrations.slice(0, kpiMigrations.indexOf(KpiHotUpdates1796300000000) + 1);

describe('kpi migration: room on aggregate and histogram pages for updates in place', () => {
  const schema = uniqueSchema('kpi_hot');
  const dataSource = createDataSource({
    url: databaseUrl(),
    schema,
    migrations: upTo,
    applicationName: 'kpi-hot-spec',
  });

  afterAll(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropTestData({ suffix: schema, schemas: [schema] });
  });

  const fillfactors = async () =>
    Object.fromEntries(
      (
        await dataSource.query<{ relname: string; reloptions: string[] | null }[]>(
          `SELECT c.relname, c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND c.relname IN ('aggregates', 'histogram_buckets')`,
          [schema],
        )
      ).map((r) => [r.relname, r.reloptions]),
    );

  it('fills aggregate pages to half and histogram pages to 70%, and undoes to what was before', async () => {
    await runMigrations(dataSource);
    expect(await fillfactors()).toEqual({
      aggregates: ['fillfactor=50'],
      histogram_buckets: ['fillfactor=70'],
    });

    await dataSource.undoLastMigration();
    expect(await fillfactors()).toEqual({ aggregates: ['fillfactor=80'], histogram_buckets: null });
  });
});
