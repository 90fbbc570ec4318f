export { createDataSource, type CreateDataSourceOptions } from './data-source.factory';
export { runMigrations } from './run-migrations';
export { assertSchemaName, qualifiedTable, quotedSchema, schemaOf } from './schema';
export { DatabaseConfigError } from './database.errors';
export { DatabaseModule, type DatabaseModuleOptions } from './database.module';
export { databaseCommand, type DatabaseCommandOptions } from './database-command';
export { type Tx, TypeOrmUnitOfWork, UnitOfWork } from './unit-of-work';
export { databaseEnv, type DatabaseEnv } from './database.env';
export { PeriodicJob, PeriodicTask } from './periodic-task';
