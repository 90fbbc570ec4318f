// kubectl for rendering k8s/ overlays (`kubectl kustomize`) in test/deploy/k8s-render.spec.ts. A kubectl on PATH is
// used when its kustomize is v4 or newer (kubectl 1.21+); otherwise Debian's kubernetes-client is installed with
// apt-get when the package lists offer 1.21 or newer. Bookworm's is 1.20, whose kustomize (v2) cannot read the
// overlays, so there the specs render with scripts/infra/kustomize.mjs alone; wherever kubectl is usable they
// render with both and require the same objects. `node scripts/infra/kubectl.mjs` exits 0 when a usable kubectl is
// there afterwards, 1 (with the reason) otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { say } from './util.mjs';

const MIN_MINOR = 21;

/** The kubectl on PATH and its version, or the reason it cannot render the overlays. */
function probe() {
  const result = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 30_000 });
  if (result.error || result.status !== 0) return { ok: false, reason: 'no kubectl on PATH' };
  const output = `${result.stdout}${result.stderr}`;
  const kustomize = /Kustomize Version: v(\d+)/.exec(output);
  if (kustomize && Number(kustomize[1]) >= 4) return { ok: true, kubectl: 'kubectl' };
  return {
    ok: false,
    reason: `kubectl's kustomize is older than v4 (${output.trim().split('\n').join(' | ')})`,
  };
}

/** The newest kubernetes-client apt-get would install, as [major, minor], or undefined. */
function candidate(env) {
  const policy = () => spawnSync('apt-cache', ['policy', 'kubernetes-client'], { env, encoding: 'utf8' });
  let match = /Candidate: (?:\d+:)?(\d+)\.(\d+)/.exec(policy().stdout ?? '');
  if (!match) {
    // A fresh machine's package lists may be missing or stale.
    spawnSync('apt-get', ['update', '-qq'], { env, encoding: 'utf8' });
    match = /Candidate: (?:\d+:)?(\d+)\.(\d+)/.exec(policy().stdout ?? '');
  }
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Finds or installs a kubectl that renders the overlays; answers `{ ok, kubectl?, reason? }` and never throws. */
export function ensureKubectl({ log = say } = {}) {
  const found = probe();
  if (found.ok) return found;
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
    return { ok: false, reason: `${found.reason}, and this machine has no apt-get` };
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { ok: false, reason: `${found.reason}; as root: apt-get install -y kubernetes-client` };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const version = candidate(env);
  if (version === undefined || version[0] < 1 || (version[0] === 1 && version[1] < MIN_MINOR)) {
    const offered = version ? `${version[0]}.${version[1]}` : 'none';
    return {
      ok: false,
      reason: `${found.reason}; Debian offers kubernetes-client ${offered}, older than 1.21`,
    };
  }
  log('installing kubectl (apt-get install -y kubernetes-client)');
  const result = spawnSync('apt-get', ['install', '-y', '-qq', 'kubernetes-client'], {
    env,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-3).join(' | ');
    return {
      ok: false,
      reason: `apt-get install kubernetes-client failed: ${output || result.error?.message}`,
    };
  }
  return probe();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { ok, reason } = ensureKubectl();
  if (!ok) say(reason);
  process.exit(ok ? 0 : 1);
}
