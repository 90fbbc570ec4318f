import { citySeedCommand } from '@ioc/platform';
import { intakeMigrations } from '../migrations';
import { ReferenceDataRepository } from '../reference/reference-data.repository';

// `npm run seed` (and `npm start`) loads the city's cameras, road segments and agency ids into the intake schema.
void citySeedCommand({
  defaultSchema: 'intake',
  migrations: intakeMigrations,
  repository: new ReferenceDataRepository(),
});
