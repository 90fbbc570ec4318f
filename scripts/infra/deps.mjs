// Installs the locked dependencies when node_modules does not hold them, so that `npm start` and `npm test`
// work on a fresh clone by themselves, and checks that what is installed is what package-lock.json says.
//
// Node built-ins only: it runs before anything is installed, through scripts/ensure-deps.mjs (preloaded by
// `npm start` and `npm test`, run by .ci/run).
//
// The lock is the source of truth for what is installed on this platform. It also lists optional native
// binaries for other platforms, and the registry may serve more or fewer of those than the lock has; npm 11's
// `npm ci` then refuses the lock (npm/cli#8805). Those entries never reach this machine, so they are left out
// of the comparison: only the versions installed here count.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, say } from './util.mjs';

const LOCK = path.join(ROOT, 'package-lock.json');
// npm's own record of what it installed ("hidden lockfile"), rewritten by every npm install or ci.
const INSTALLED = path.join(ROOT, 'node_modules', '.package-lock.json');

/** The libc of this process: 'glibc' or 'musl' (what npm compares a package's `libc` field with). */
function currentLibc() {
  if (process.platform !== 'linux') return undefined;
  return process.report?.getReport?.().header?.glibcVersionRuntime ? 'glibc' : 'musl';
}

/** npm's rule for `os`, `cpu` and `libc`: a list of allowed values, or of `!excluded` ones. */
function allows(list, value) {
  if (!Array.isArray(list) || list.length === 0 || value === undefined) return true;
  if (list.includes(`!${value}`)) return false;
  const allowed = list.filter((entry) => !entry.startsWith('!'));
  return allowed.length === 0 || allowed.includes(value);
}

/**
 * The packages of a lock (or of npm's hidden lockfile) that install on this platform, as path →
 * { version, optional }. Optional packages meant for another os, cpu or libc are left out; so are links and
 * the root.
 */
export function packagesForThisPlatform(
  lock,
  platform = { os: process.platform, cpu: process.arch, libc: currentLibc() },
) {
  const result = new Map();
  for (const [location, entry] of Object.entries(lock.packages ?? {})) {
    if (location === '' || entry.link || entry.extraneous) continue;
    const fits =
      allows(entry.os, platform.os) && allows(entry.cpu, platform.cpu) && allows(entry.libc, platform.libc);
    if (!fits && entry.optional) continue;
    result.set(location, { version: entry.version, optional: Boolean(entry.optional) });
  }
  return result;
}

/**
 * What differs between the locked and the installed packages, as readable lines (empty when they agree).
 * An optional package may be absent, as npm allows (e.g. a helper needed only by another platform's
 * binary), but what is installed must be in the lock at the locked version.
 */
export function differences(locked, installed) {
  const lines = [];
  for (const [location, { version, optional }] of locked) {
    const found = installed.get(location);
    if (found === undefined) {
      if (!optional) lines.push(`missing ${location}@${version}`);
    } else if (found.version !== version) {
      lines.push(`${location}: ${found.version} installed, ${version} locked`);
    }
  }
  for (const [location, { version }] of installed) {
    if (!locked.has(location)) lines.push(`not in the lock: ${location}@${version}`);
  }
  return lines;
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Lines saying how node_modules differs from the lock here; empty when it holds exactly the lock. */
export function installDrift() {
  if (!existsSync(INSTALLED)) return ['node_modules is missing'];
  return differences(packagesForThisPlatform(readJson(LOCK)), packagesForThisPlatform(readJson(INSTALLED)));
}

/** Runs npm; on failure, its first few error lines (the rest of `npm ci`'s refusal is its usage text). */
function npm(args) {
  const result = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    const reasons = (result.stderr ?? '').split('\n').filter((line) => /^npm error \S/.test(line));
    process.stderr.write(`${reasons.slice(0, 6).join('\n')}${reasons.length > 6 ? '\nnpm error …' : ''}\n`);
  }
  return result.status === 0;
}

/**
 * Makes node_modules hold exactly the lock's versions for this platform. Tries `npm ci`; when npm refuses
 * the lock only for its list of other platforms' binaries, `npm install --no-save` installs the same locked
 * versions without rewriting the lock. Throws when the result still differs from the lock.
 */
export function ensureDependencies() {
  const drift = installDrift();
  if (drift.length === 0) return false;
  say(
    `installing the locked dependencies (${drift.length === 1 ? drift[0] : `${drift.length} differ from package-lock.json`})`,
  );
  if (!npm(['ci']) || installDrift().length > 0) {
    say(
      'npm ci did not install the lock as it is; installing the locked versions with npm install --no-save',
    );
    if (!npm(['install', '--no-save'])) throw new Error('npm install failed');
  }
  const left = installDrift();
  if (left.length > 0) {
    throw new Error(
      `node_modules does not match package-lock.json after installing:\n  ${left.slice(0, 20).join('\n  ')}\n` +
        'package.json and the lock disagree: run npm install and commit package-lock.json',
    );
  }
  return true;
}
