// Builds the operations wall (apps/gateway/wall/src) into dist/apps/gateway/wall, which the gateway serves at `/`:
// one bundled script and one stylesheet (esbuild), and the page. Everything the page needs is in the bundle, so
// nothing is fetched from elsewhere at run time. Run by `npm run build` (so by `npm start`) and by the wall's
// browser spec; `--watch` rebuilds on change while developing.
import { build, context } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
export const WALL_DIST = path.join(ROOT, 'dist', 'apps', 'gateway', 'wall');

const options = {
  entryPoints: { app: path.join(HERE, 'src', 'main.ts'), wall: path.join(HERE, 'src', 'wall.css') },
  outdir: WALL_DIST,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  tsconfig: path.join(HERE, 'tsconfig.json'),
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

mkdirSync(WALL_DIST, { recursive: true });
copyFileSync(path.join(HERE, 'src', 'index.html'), path.join(WALL_DIST, 'index.html'));
if (process.argv.includes('--watch')) {
  await (await context(options)).watch();
  console.log(`watching apps/gateway/wall/src → ${path.relative(ROOT, WALL_DIST)}`);
} else {
  await build(options);
}
