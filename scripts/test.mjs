// `npm test [-- <jest args>]`: type-check, build dist/ when it is stale (the journeys spec starts the services from
// it as `npm start` does), then Jest with every argument passed through: the unit and integration projects unless
// the arguments select projects (`npm run test:faults` selects the fault suite). Results also go to
// .run/jest-results.json (IOC_JEST_RESULTS names another file under .run/), from which .ci/run counts passed and
// failed tests. Exit code = Jest's.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt } from './infra/build.mjs';
import { ROOT, RUN_DIR, say } from './infra/util.mjs';

const require = createRequire(import.meta.url);
const RESULTS = path.join(RUN_DIR, path.basename(process.env.IOC_JEST_RESULTS ?? 'jest-results.json'));
/** The fault suite runs only when selected: it starts every service and takes minutes. */
const DEFAULT_PROJECTS = ['--selectProjects', 'unit', 'integration'];
// The machine has 2 cores; Jest's default (cores - 1) would run the integration specs one at a time.
const DEFAULT_WORKERS = ['--maxWorkers=2'];

const args = process.argv.slice(2);
mkdirSync(RUN_DIR, { recursive: true });
// A stale file from an earlier run must never be counted as this run's result.
rmSync(RESULTS, { force: true });

say('type-check (tsc -p tsconfig.json --noEmit)');
const typecheck = await node(require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.json', '--noEmit']);
if (typecheck !== 0) {
  say('type-check failed; not running Jest');
  process.exit(typecheck);
}

// Built here, before any spec runs: a build empties dist/, which the wall's spec serves from.
try {
  await ensureBuilt({ hint: 'npm start -- --rebuild forces a build' });
} catch (error) {
  say(`build failed; not running Jest: ${error.message}`);
  process.exit(1);
}

const workers = args.some((arg) => /^(--maxWorkers|-w|--runInBand|-i)(=|$)/.test(arg)) ? [] : DEFAULT_WORKERS;
const projects = args.some((arg) => /^--selectProjects(=|$)/.test(arg)) ? [] : DEFAULT_PROJECTS;
const jest = require.resolve('jest/bin/jest');
// The projects go after the caller's arguments: --selectProjects takes every value up to the next option, so a path
// after it would be read as a project name.
process.exit(await node(jest, [...workers, ...args, ...projects, '--json', `--outputFile=${RESULTS}`]));

function node(script, scriptArgs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...scriptArgs], { cwd: ROOT, stdio: 'inherit' });
    // A terminal's Ctrl-C reaches the child too (same process group): let it run its teardown and report.
    const ignore = () => undefined;
    const forward = () => child.kill('SIGTERM');
    process.on('SIGINT', ignore);
    process.on('SIGTERM', forward);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      resolve(code ?? 128 + (os.constants.signals[signal] ?? 0));
    });
  });
}
