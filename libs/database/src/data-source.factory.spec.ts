import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { createDataSource } from './data-source.factory';
import { DatabaseConfigError } from './database.errors';

describe(createDataSource.name, () => {
  it('binds the data source to one schema, never synchronizing or migrating by itself', () => {
    const sut = createDataSource({
      url: 'postgres://postgres@127.0.0.1:5432/postgres',
      schema: 'reports',
      applicationName: 'ioc-reports',
      poolSize: 4,
    });
    const options = sut.options as PostgresConnectionOptions;

    expect(options).toMatchObject({
      type: 'postgres',
      schema: 'reports',
      migrationsTableName: 'migrations',
      synchronize: false,
      migrationsRun: false,
      applicationName: 'ioc-reports',
      poolSize: 4,
      extra: { options: '-c TimeZone=UTC' },
    });
    expect(sut.isInitialized).toBe(false);
  });

  it('rejects a schema name that is not a plain identifier', () => {
    expect(() => createDataSource({ url: 'postgres://x@127.0.0.1/x', schema: 'Bad-Name' })).toThrow(
      DatabaseConfigError,
    );
  });
});
