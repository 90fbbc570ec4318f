import { createDataSource, runMigrations } from '@ioc/database';
import { databaseUrl, dropTestData, uniqueSchema } from '@ioc/testing';
import { ProjectionRepository } from '../src/computation/projection.repository';
import { ZERO } from '../src/computation/histogram';
import { kpiMigrations } from '../src/migrations';
import { KpiHistogramInRow1796400000000 } from '../src/migrations/kpi-histogram-in-row.migration';
import { ValuesRepository } from '../src/values/values.repository';

/** A schema migrated up to the migration before the one under test. */
const before = kpiMigrations.slice(0, kpiMigrations.indexOf(KpiHistogramInRow1796400000000));
const key = {
  kpiCode: 'report-resolution-hours-median',
  dimensionKind: 'city',
  dimensionCode: 'hai-phong',
  period: 'month',
  periodStart: new Date('2026-10-31T17:00:00Z'),
  periodEnd: new Date('2026-11-30T17:00:00Z'),
} as const;

describe('kpi migration: histograms move into their aggregate rows', () => {
  const schema = uniqueSchema('kpi_hist');
  const open = (migrations: typeof kpiMigrations) =>
    createDataSource({ url: databaseUrl(), schema, migrations, applicationName: 'kpi-hist-spec' });

  afterAll(() => dropTestData({ suffix: schema, schemas: [schema] }));

  const buckets = (ds: ReturnType<typeof open>) =>
    ds.query(`SELECT kpi_code, bucket, n::int FROM "${schema}".histogram_buckets ORDER BY kpi_code, bucket`);

  it('keeps every bucket count, zero included, adds later ones into the same row, and undoes to the same rows', async () => {
    const old = open(before);
    await runMigrations(old);
    const row = (code: string) =>
      `('${code}', 'city', 'hai-phong', 'month', '2026-10-31T17:00:00Z', '2026-11-30T17:00:00Z')`;
    await old.query(`INSERT INTO "${schema}".aggregates
      (kpi_code, dimension_kind, dimension_code, period, period_start, period_end)
      VALUES ${row(key.kpiCode)}, ${row('citizen-satisfaction')}`);
    // -100000 was the zero bucket's index before the migration.
    await old.query(`INSERT INTO "${schema}".histogram_buckets
      (kpi_code, dimension_kind, dimension_code, period, period_start, bucket, n)
      VALUES ${[
        [-100_000, 2],
        [-3, 1],
        [170, 5],
        [172, 7],
      ]
        .map(([bucket, n]) => row(key.kpiCode).replace(/, '[^']*'\)$/, `, ${bucket}, ${n})`))
        .join(', ')}`);
    await old.destroy();

    const migrated = open([...before, KpiHistogramInRow1796400000000]);
    await runMigrations(migrated);
    const values = new ValuesRepository();
    const read = async () =>
      (
        await migrated.transaction((tx) =>
          values.byKeys(tx, [key, { ...key, kpiCode: 'citizen-satisfaction' }]),
        )
      )
        .map((a) => [a.kpiCode, [...a.histogram].sort(([x], [y]) => x - y)])
        .sort();
    expect(await read()).toEqual([
      ['citizen-satisfaction', []],
      [
        key.kpiCode,
        [
          [ZERO, 2],
          [-3, 1],
          [170, 5],
          [172, 7],
        ],
      ],
    ]);

    // The fold's writes add bucket by bucket into the stored array, below, inside and above its bounds.
    const delta = { num: 0, den: 0, total: 0, n: 0, samples: 0, late: 0 };
    await migrated.transaction((tx) =>
      new ProjectionRepository().apply(tx, [
        {
          ...key,
          ...delta,
          histogram: new Map([
            [-2000, 1],
            [171, 1],
            [172, 1],
            [400, 3],
          ]),
        },
        { ...key, kpiCode: 'citizen-satisfaction', ...delta, n: 1, histogram: new Map() },
      ]),
    );
    expect(await read()).toEqual([
      ['citizen-satisfaction', []],
      [
        key.kpiCode,
        [
          [-2000, 1],
          [ZERO, 2],
          [-3, 1],
          [170, 5],
          [171, 1],
          [172, 8],
          [400, 3],
        ],
      ],
    ]);

    await migrated.undoLastMigration();
    expect(await buckets(migrated)).toEqual(
      [
        [-100_000, 2],
        [-2000, 1],
        [-3, 1],
        [170, 5],
        [171, 1],
        [172, 8],
        [400, 3],
      ].map(([bucket, n]) => ({ kpi_code: key.kpiCode, bucket, n })),
    );
    await migrated.destroy();
  });
});
