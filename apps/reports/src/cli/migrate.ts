import { databaseCommand } from '@ioc/database';
import { reportsMigrations } from '../migrations';

// `npm start` runs this before the service starts; the service also migrates at boot (under an
// advisory lock), so a replica never runs against an older schema.
void databaseCommand({ defaultSchema: 'reports', migrations: reportsMigrations });
