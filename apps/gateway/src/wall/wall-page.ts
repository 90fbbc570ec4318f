import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The wall's Content-Security-Policy: its own scripts, styles and workers only (`blob:` workers for renderers
 * that start one), images it draws itself, and connections (REST and the Socket.IO websocket) to its own origin
 * only. No inline script or style element is allowed; styles set through the CSSOM are not inline markup.
 */
export const WALL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** The built files the gateway serves, by name, with their media type; nothing else under the folder is served. */
export const WALL_ASSETS: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.js.map': 'application/json; charset=utf-8',
  'app.js.LEGAL.txt': 'text/plain; charset=utf-8',
  'wall.css': 'text/css; charset=utf-8',
  'wall.css.map': 'application/json; charset=utf-8',
};

/**
 * Where `npm run build` puts the wall (apps/gateway/wall/build.mjs): `dist/apps/gateway/wall` under the repository
 * root, found from this file whether it runs from `dist/` or from source.
 */
export function wallDistDir(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.join(dir, 'dist', 'apps', 'gateway', 'wall');
}

/** The built page's files, read once each and kept (they change only with a new build, i.e. a new process). */
export class WallFiles {
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly dir: string = wallDistDir()) {}

  /** The file's bytes, or undefined when the name is not a wall asset or the page is not built. */
  read(name: string): Buffer | undefined {
    if (name !== 'index.html' && !Object.hasOwn(WALL_ASSETS, name)) return undefined;
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const file = path.join(this.dir, name);
    if (!existsSync(file)) return undefined;
    const bytes = readFileSync(file);
    this.cache.set(name, bytes);
    return bytes;
  }
}
