import { citySeedCommand } from '@ioc/platform';
import { reportsMigrations } from '../migrations';
import { ReferenceDataRepository } from '../reference/reference-data.repository';

// `npm run seed` (and `npm start`) loads a city's folder into the reports schema: categories, agencies,
// administrative units and routing rules.
void citySeedCommand({
  defaultSchema: 'reports',
  migrations: reportsMigrations,
  repository: new ReferenceDataRepository(),
});
