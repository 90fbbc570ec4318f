// The lock check behind ensure-deps: only what installs on this platform counts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { differences, packagesForThisPlatform } from './deps.mjs';
import { ROOT } from './util.mjs';

const linux = { os: 'linux', cpu: 'x64', libc: 'glibc' };
const lock = (packages) => ({ lockfileVersion: 3, packages: { '': { name: 'app' }, ...packages } });
const binding = (os, cpu, extra = {}) => ({
  version: '1.13.0',
  optional: true,
  dev: true,
  os: [os],
  cpu: [cpu],
  ...extra,
});

describe('packagesForThisPlatform', () => {
  it("leaves out other platforms' optional binaries and keeps this one's", () => {
    const packages = packagesForThisPlatform(
      lock({
        'node_modules/a': { version: '1.0.0' },
        'node_modules/@unrs/resolver-binding-linux-x64-gnu': binding('linux', 'x64', { libc: ['glibc'] }),
        'node_modules/@unrs/resolver-binding-linux-x64-musl': binding('linux', 'x64', { libc: ['musl'] }),
        'node_modules/@unrs/resolver-binding-darwin-arm64': binding('darwin', 'arm64'),
        'node_modules/not-on-windows': { version: '2.0.0', optional: true, os: ['!win32'] },
        'node_modules/linked': { resolved: 'libs/x', link: true },
      }),
      linux,
    );
    assert.deepEqual(
      [...packages.keys()],
      ['node_modules/a', 'node_modules/@unrs/resolver-binding-linux-x64-gnu', 'node_modules/not-on-windows'],
    );
  });

  it('keeps a required package whatever its os field says (npm would refuse to install it)', () => {
    const packages = packagesForThisPlatform(
      lock({ 'node_modules/mac-only': { version: '1.0.0', os: ['darwin'] } }),
      linux,
    );
    assert.ok(packages.has('node_modules/mac-only'));
  });
});

describe('differences', () => {
  const locked = packagesForThisPlatform(
    lock({
      'node_modules/a': { version: '1.0.0' },
      'node_modules/wasm-helper': { version: '0.1.0', optional: true },
    }),
    linux,
  );

  it('agrees when the registry lists more or fewer binaries for other platforms', () => {
    const older = lock({ 'node_modules/a': { version: '1.0.0' } });
    const newer = lock({
      'node_modules/a': { version: '1.0.0' },
      'node_modules/@unrs/resolver-binding-win32-x64-msvc': binding('win32', 'x64'),
      'node_modules/@unrs/resolver-binding-android-arm64': binding('android', 'arm64'),
    });
    assert.deepEqual(
      differences(packagesForThisPlatform(newer, linux), packagesForThisPlatform(older, linux)),
      [],
    );
    assert.deepEqual(
      differences(packagesForThisPlatform(older, linux), packagesForThisPlatform(newer, linux)),
      [],
    );
  });

  it('allows an optional package npm did not install', () => {
    const installed = packagesForThisPlatform(lock({ 'node_modules/a': { version: '1.0.0' } }), linux);
    assert.deepEqual(differences(locked, installed), []);
  });

  it('names a missing, a different and an unlocked package', () => {
    const installed = packagesForThisPlatform(
      lock({
        'node_modules/wasm-helper': { version: '0.2.0', optional: true },
        'node_modules/b': { version: '3.0.0' },
      }),
      linux,
    );
    assert.deepEqual(differences(locked, installed), [
      'missing node_modules/a@1.0.0',
      'node_modules/wasm-helper: 0.2.0 installed, 0.1.0 locked',
      'not in the lock: node_modules/b@3.0.0',
    ]);
  });

  it("the committed lock describes this platform's install the same way npm's own record does", () => {
    const committed = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    const here = packagesForThisPlatform(committed);
    assert.ok(here.size > 100, 'the lock lists the project’s packages');
    assert.ok(![...here.keys()].some((location) => /resolver-binding-(darwin|win32|android)/.test(location)));
  });
});
