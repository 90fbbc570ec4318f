// `npm run seed`: loads CITY_DATA_DIR (default data/cities/hai-phong) into every service that keeps reference
// data (each app with a `src/cli/seed.ts`), in the Postgres `npm start` uses unless DATABASE_URL names another.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { findPostgres } from './infra/postgres.mjs';
import { ROOT, say } from './infra/util.mjs';

const databaseUrl = await findPostgres();
if (!databaseUrl) {
  say('no Postgres answers: start one with npm start or npm run infra -- up, or set DATABASE_URL');
  process.exit(1);
}
const seeds = readdirSync(path.join(ROOT, 'apps'))
  .map((app) => path.join('apps', app, 'src', 'cli', 'seed.ts'))
  .filter((seed) => existsSync(path.join(ROOT, seed)));
for (const seed of seeds) {
  // Nest's decorators need their metadata, which swc emits and tsx does not.
  const { status } = spawnSync(process.execPath, ['-r', '@swc-node/register', seed], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: databaseUrl, SWC_NODE_PROJECT: 'tsconfig.json' },
  });
  if (status !== 0) process.exit(status ?? 1);
}
