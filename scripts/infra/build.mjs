// Builds dist/ (`npm run build`: the services, the CLIs and the wall page) unless it is newer than every source
// file. `npm start` runs the services from it, and `npm test` builds it before Jest so that the journeys spec,
// which starts them the way `npm start` does, never rebuilds it under another spec's feet.
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, run, say } from './util.mjs';

export const DIST = path.join(ROOT, 'dist');
const BUILD_STAMP = path.join(DIST, '.ioc-build-stamp');

/**
 * Skips the build when the stamp written after the last good build is newer than every source file; `rebuild`
 * builds anyway. `hint` is how the caller's user forces a build, said when it is skipped.
 */
export async function ensureBuilt({ rebuild = false, hint = 'npm start -- --rebuild forces a build' } = {}) {
  const newestSource = Math.max(
    ...['apps', 'libs'].map((dir) => newestMtime(path.join(ROOT, dir))),
    ...['tsconfig.base.json', 'tsconfig.build.json'].map((file) => statSync(path.join(ROOT, file)).mtimeMs),
  );
  if (!rebuild && existsSync(BUILD_STAMP) && statSync(BUILD_STAMP).mtimeMs > newestSource) {
    say(`dist/ is up to date (${hint})`);
    return;
  }
  say('building (npm run build)');
  // A clean dist: outputs of deleted sources (a removed CLI, an old main.js) must not be run.
  rmSync(DIST, { recursive: true, force: true });
  await run('npm', ['run', '--silent', 'build']);
  writeFileSync(BUILD_STAMP, `${new Date().toISOString()}\n`);
}

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
