// `npm run docs:wall`: screenshots of the running wall for the README, an operator's view (docs/wall.png) and an
// agency's (docs/wall-agency.png), taken in Debian's Chromium through playwright-core. Run it against a living city:
// `npm start -- --demo`, wait a minute or two, then `npm run docs:wall` (`-- --url <gateway> --agency <id>`).
// The development login must be open (AUTH_MODE=dev), as under `npm start`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, ensureChromium } from './infra/chromium.mjs';
import { ROOT, say } from './infra/util.mjs';

const { values: flags } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.IOC_WALL_URL ?? 'http://127.0.0.1:3000/' },
    agency: { type: 'string', default: 'AG-SGTVT' },
    settle: { type: 'string', default: '6000' },
  },
});

async function devToken(body) {
  const response = await fetch(new URL('/wall/dev-login', flags.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`dev login answered ${response.status}: ${await response.text()}`);
  return (await response.json()).token;
}

async function shoot(context, token, file) {
  const page = await context.newPage();
  await page.goto(`${new URL('/', flags.url)}#token=${token}`);
  // The live stream draws as it comes: let the snapshot and a few changes land.
  await page.waitForTimeout(Number(flags.settle));
  await page.screenshot({ path: path.join(ROOT, 'docs', file) });
  await page.close();
  say(`wrote docs/${file}`);
}

const chromiumState = ensureChromium();
if (!chromiumState.ok) {
  say(chromiumState.reason);
  process.exit(1);
}
const userDataDir = mkdtempSync(path.join(tmpdir(), 'ioc-wall-shot-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 1600, height: 900 },
  args: CHROMIUM_ARGS,
});
try {
  await shoot(context, await devToken({ role: 'operator' }), 'wall.png');
  await shoot(context, await devToken({ role: 'agency', agencyId: flags.agency }), 'wall-agency.png');
} catch (error) {
  say(`${error.message} (is the gateway running at ${flags.url}? npm start -- --demo)`);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
