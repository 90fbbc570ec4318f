import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { gatewayEnv } from '../../apps/gateway/src/config';
import { intakeEnv } from '../../apps/intake/src/config';
import { kpiEnv } from '../../apps/kpi/src/config';
import { reportsEnv } from '../../apps/reports/src/config';
import { simulatorEnv } from '../../apps/simulator/src/config';

const ROOT = path.resolve(__dirname, '../..');
const DOCKERFILE = readFileSync(path.join(ROOT, 'docker/Dockerfile'), 'utf8');
const APPS: Record<string, z.ZodObject> = {
  reports: reportsEnv,
  intake: intakeEnv,
  kpi: kpiEnv,
  gateway: gatewayEnv,
  simulator: simulatorEnv,
};

function lint(content: string): { status: number | null; output: string } {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ioc-dockerfile-')), 'Dockerfile');
  writeFileSync(file, content);
  const result = spawnSync(process.execPath, ['scripts/lint-dockerfile.mjs', file], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: result.status, output: result.stderr };
}

/** `node docker/healthcheck.mjs` with `env`: its exit code. */
function healthcheck(env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['docker/healthcheck.mjs'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    child.once('exit', resolve);
  });
}

describe('docker/Dockerfile', () => {
  it('passes the Dockerfile lint, which refuses a root, unpinned or unchecked image', () => {
    expect(lint(DOCKERFILE)).toEqual({ status: 0, output: '' });
    const bad = lint('FROM node\nRUN npm install && curl -o x http://x\nCMD node main.js\n');
    expect(bad.status).toBe(1);
    for (const problem of ['pinned tag', 'non-root USER', 'HEALTHCHECK', 'npm ci', 'downloaded', 'exec form'])
      expect(bad.output).toContain(problem);
  });

  it('installs production dependencies only into the final image, from the lock', () => {
    expect(DOCKERFILE).toMatch(/FROM \$\{NODE_IMAGE\} AS deps\n[\s\S]*?RUN npm ci --omit=dev/);
    expect(DOCKERFILE).toContain('COPY --from=deps /app/node_modules ./node_modules');
    expect(DOCKERFILE).toContain('COPY --from=build /app/dist ./dist');
  });

  it('copies from the build context only what docker/Dockerfile.dockerignore lets in', () => {
    const ignore = readFileSync(path.join(ROOT, 'docker/Dockerfile.dockerignore'), 'utf8').split('\n');
    expect(ignore).toContain('*');
    const allowed = ignore
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).replace(/\/$/, ''));
    const copied = [...DOCKERFILE.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(' '));
    expect(copied.length).toBeGreaterThan(0);
    for (const source of copied) expect(allowed).toContain(source.replace(/\/$/, ''));
  });

  it("knows every service's default port for its health check", () => {
    const text = readFileSync(path.join(ROOT, 'docker/healthcheck.mjs'), 'utf8');
    const literal = /DEFAULT_PORTS = (\{[^}]*\})/.exec(text)?.[1] ?? '{}';
    const ports = JSON.parse(literal.replace(/(\w+):/g, '"$1":'));
    const defaults = Object.fromEntries(
      Object.entries(APPS).map(([app, schema]) => [app, schema.shape.PORT.parse(undefined)]),
    );
    expect(ports).toEqual(defaults);
  });

  describe('its health check', () => {
    let server: Server;
    let status = 200;
    let port: number;
    beforeAll(async () => {
      server = createServer((request, response) => {
        response.statusCode = request.url === '/health/ready' ? status : 404;
        response.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('passes while /health/ready answers 2xx, fails on 503 and when nothing listens', async () => {
      status = 200;
      expect(await healthcheck({ PORT: String(port) })).toBe(0);
      status = 503;
      expect(await healthcheck({ PORT: String(port) })).toBe(1);
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const freePort = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      expect(await healthcheck({ PORT: String(freePort) })).toBe(1);
    });
  });
});
