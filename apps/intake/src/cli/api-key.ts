import { apiKeyCommand } from '@ioc/auth';
import { INGEST_TOPICS } from '../ingest/ingest.service';
import { intakeMigrations } from '../migrations';

// `npm run api-key -- --service intake …` (or `node dist/apps/intake/src/cli/api-key.js …`): integrator keys for
// HTTP and NGSI-LD ingest, scoped to the topics they may publish to (see ingest/README.md).
void apiKeyCommand({
  service: 'intake',
  defaultSchema: 'intake',
  migrations: intakeMigrations,
  scopes: {
    description: `a topic the key may publish to (${INGEST_TOPICS.join(', ')}) or a prefix ending in *, such as ioc.camera.* or ioc.*`,
    accepts: (scope) => scope.endsWith('*') || (INGEST_TOPICS as readonly string[]).includes(scope),
  },
});
