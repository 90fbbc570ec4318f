import { citySeedCommand } from '@ioc/platform';
import { kpiMigrations } from '../migrations';
import { ReferenceDataRepository } from '../reference/reference-data.repository';

// `npm run seed` and `npm start`: migrates the kpi schema, then writes the city's KPI catalog and code.
void citySeedCommand({
  defaultSchema: 'kpi',
  migrations: kpiMigrations,
  repository: new ReferenceDataRepository(),
});
