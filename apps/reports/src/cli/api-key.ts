import { apiKeyCommand } from '@ioc/auth';
import { reportsMigrations } from '../migrations';

// `npm run api-key -- --service reports …` (or `node dist/apps/reports/src/cli/api-key.js …`): integrator keys
// for Open311 `POST requests`, which grants by the integrator role alone, so the keys carry no scope.
void apiKeyCommand({ service: 'reports', defaultSchema: 'reports', migrations: reportsMigrations });
