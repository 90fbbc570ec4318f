// `npm run seed`: loads CITY_DATA_DIR (default data/cities/hai-phong) into every service that keeps reference
// data (each app with a `src/cli/seed.ts`), in the Postgres `npm start` uses unless DATABASE_URL names another.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { usePostgresOrExit } from './infra/postgres.mjs';
import { ROOT } from './infra/util.mjs';

await usePostgresOrExit();
const seeds = readdirSync(path.join(ROOT, 'apps'))
  .map((app) => path.join('apps', app, 'src', 'cli', 'seed.ts'))
  .filter((seed) => existsSync(path.join(ROOT, seed)));
for (const seed of seeds) {
  // Nest's decorators need their metadata, which swc emits and tsx does not.
  const { status } = spawnSync(process.execPath, ['-r', '@swc-node/register', seed], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.json' },
  });
  if (status !== 0) process.exit(status ?? 1);
}
