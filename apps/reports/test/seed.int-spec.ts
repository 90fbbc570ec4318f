import {
  createDataSource,
  qualifiedTable,
  quotedSchema,
  runMigrations,
  TypeOrmUnitOfWork,
} from '@ioc/database';
import { seedCityData } from '@ioc/platform';
import { databaseUrl, uniqueSchema } from '@ioc/testing';
import type { DataSource } from 'typeorm';
import { reportsMigrations } from '../src/migrations';
import { ReferenceDataRepository } from '../src/reference/reference-data.repository';
import { CITY_DIR } from './reports-app';

jest.setTimeout(60_000);

describe('reference data seed', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = createDataSource({
      url: databaseUrl(),
      schema: uniqueSchema('reports_seed'),
      migrations: reportsMigrations,
    });
    await runMigrations(dataSource);
  });

  afterAll(async () => {
    if (!dataSource?.isInitialized) return;
    await dataSource.query(`DROP SCHEMA IF EXISTS ${quotedSchema(dataSource)} CASCADE`);
    await dataSource.destroy();
  });

  const counts = async () => {
    const result: Record<string, number> = {};
    for (const table of ['categories', 'agencies', 'admin_units', 'routing_rules'])
      result[table] = Number(
        (await dataSource.query(`SELECT count(*) AS n FROM ${qualifiedTable(dataSource, table)}`))[0].n,
      );
    return result;
  };

  it('loads a city folder and changes nothing when run again', async () => {
    const seed = () =>
      seedCityData(new TypeOrmUnitOfWork(dataSource), CITY_DIR, new ReferenceDataRepository());
    const { counts: first } = await seed();
    const afterFirst = await counts();
    expect(afterFirst).toEqual({
      categories: first.categories,
      agencies: first.agencies,
      admin_units: first.adminUnits,
      routing_rules: first.routingRules,
    });
    await seed();
    expect(await counts()).toEqual(afterFirst);
  });

  it('reads back both hierarchies of units with their effective dates and geometry', async () => {
    const snapshot = await new ReferenceDataRepository().load(dataSource.manager);
    const hierarchies = new Set(snapshot.adminUnits.map((unit) => unit.hierarchy));
    expect(hierarchies).toEqual(new Set(['pre-2025', '2025']));
    const reformed = snapshot.adminUnits.find((unit) => unit.hierarchy === '2025' && unit.level === 'ward');
    expect(reformed).toMatchObject({
      validTo: null,
      effectiveTo: null,
      geometry: { bbox: expect.any(Array) },
    });
    expect(typeof reformed?.effectiveFrom).toBe('number');
    expect(snapshot.categories.every((category) => /^P/.test(category.sla.ackWithin))).toBe(true);
  });
});
