// Debian's Chromium for the wall's browser spec (test/wall.e2e-spec.ts, driven by playwright-core): installed with
// apt-get when /usr/bin/chromium is missing, since Playwright's own browser download reaches a host the machines
// cannot. `node scripts/infra/chromium.mjs` exits 0 when Chromium is there afterwards, 1 (with the reason) otherwise;
// .ci/run calls it before the tests, and the spec calls it too, so `npm test` on a fresh machine needs nothing else.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { say } from './util.mjs';

// How the project starts Chromium, in a JSON file so that the wall's browser spec reads the same: headless, and
// without the background connections a closed network refuses (component updates, sync, QUIC), so nothing but
// the page's own origin is contacted.
const launch = JSON.parse(readFileSync(new URL('./chromium.json', import.meta.url), 'utf8'));
export const CHROMIUM = launch.executable;
export const CHROMIUM_ARGS = launch.args;

/** Installs Chromium if missing; answers `{ ok, reason? }` and never throws. */
export function ensureChromium({ log = say } = {}) {
  if (existsSync(CHROMIUM)) return { ok: true };
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
    return { ok: false, reason: `${CHROMIUM} is missing and this machine has no apt-get` };
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { ok: false, reason: `${CHROMIUM} is missing; install it as root: apt-get install -y chromium` };
  }
  log('installing chromium (apt-get install -y chromium)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { env, encoding: 'utf8' });
  let result = install();
  if (result.status !== 0) {
    // A fresh machine's package lists may be missing or stale.
    spawnSync('apt-get', ['update', '-qq'], { env, encoding: 'utf8' });
    result = install();
  }
  if (result.status !== 0 || !existsSync(CHROMIUM)) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-3).join(' | ');
    return { ok: false, reason: `apt-get install chromium failed: ${output || result.error?.message}` };
  }
  return { ok: true };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { ok, reason } = ensureChromium();
  if (!ok) say(reason);
  process.exit(ok ? 0 : 1);
}
