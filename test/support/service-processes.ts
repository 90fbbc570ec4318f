import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import type { ServiceWorld } from './service-world';

const ROOT = path.resolve(__dirname, '../..');
/** Every service `npm start -- --demo` runs, in its start order. */
export const SERVICE_NAMES = ['reports', 'intake', 'kpi', 'gateway', 'simulator'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** What `npm start` prints once every service answers ready (scripts/start.mjs, its banner). */
const READY_LINE = 'Ctrl-C to stop.';
/** The supervisor gives each service 15 s to drain, the simulator first, then the others at once. */
const STOP_TIMEOUT_MS = 60_000;

/** A port the kernel says is free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Pids of the live children of `pid` (Linux /proc): the services start.mjs runs, each in a group of its own. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so read after the last `)`.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** A process's command line, NUL-separated ('' once it is gone). */
function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Every service started as a real process from the built dist/, by `scripts/start.mjs --demo` itself (the
 * supervisor, topic provisioning, migrations, seeds, API keys of `npm start`), inside one {@link ServiceWorld}:
 * its topic suffix, a schema per service, its token keys, free ports. The output of start.mjs and each service's
 * JSON log stay under `logDir` for debugging. `stop()` ends them all, by force when they do not stop in time.
 *
 * ```ts
 * const services = await ServiceProcesses.start(world, { logDir, env: { KPI_PUBLISH_INTERVAL: '200ms' } });
 * await fetch(`${services.url('kpi')}/kpis/values?period=day`);
 * await services.stop();
 * ```
 */
export class ServiceProcesses {
  private output = '';
  private exit?: { code: number | null; signal: NodeJS.Signals | null };

  private constructor(
    private readonly child: ChildProcess,
    private readonly ports: Record<ServiceName, number>,
    readonly logDir: string,
  ) {
    const file = createWriteStream(path.join(logDir, 'start.log'));
    const keep = (chunk: Buffer) => {
      this.output += chunk.toString();
      file.write(chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      this.exit = { code, signal };
      file.end();
    });
  }

  /**
   * Starts every service with `env` on top of the world's settings; resolves once all of them answer ready,
   * rejects (having stopped what started) when start.mjs fails or they are not ready within `timeoutMs`.
   */
  static async start(
    world: ServiceWorld,
    {
      logDir,
      env = {},
      timeoutMs = 300_000,
    }: { logDir: string; env?: Record<string, string>; timeoutMs?: number },
  ): Promise<ServiceProcesses> {
    mkdirSync(logDir, { recursive: true });
    const ports = {} as Record<ServiceName, number>;
    for (const name of SERVICE_NAMES) ports[name] = await freePort();
    const perService = Object.fromEntries(
      SERVICE_NAMES.flatMap((name) => [
        [`IOC_${name.toUpperCase()}_PORT`, String(ports[name])],
        [`IOC_${name.toUpperCase()}_DB_SCHEMA`, world.schemaOf(name)],
      ]),
    );
    const child = spawn(process.execPath, ['scripts/start.mjs', '--demo', '--log-level', 'warn'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...perService,
        IOC_TOPIC_SUFFIX: world.suffix,
        IOC_LOG_DIR: logDir,
        AUTH_DEV_KEYS_DIR: world.devKeysDir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const services = new ServiceProcesses(child, ports, logDir);
    try {
      await services.ready(timeoutMs);
    } catch (error) {
      await services.stop();
      throw error;
    }
    return services;
  }

  /** The base URL of a service. */
  url(name: ServiceName): string {
    return `http://127.0.0.1:${this.ports[name]}`;
  }

  /** The pid of `name`'s running process (the supervisor starts a new one after each exit), if one runs. */
  pidOf(name: ServiceName): number | undefined {
    const pid = this.child.pid;
    if (pid === undefined) return undefined;
    const main = path.join(ROOT, 'dist', 'apps', name, 'src', 'main.js');
    return childrenOf(pid).find((service) => commandLineOf(service).includes(main));
  }

  /**
   * Kills `name`'s process with `signal` (SIGKILL: a crash) and waits until the supervisor of start.mjs has
   * started it again and it answers ready; resolves with the new pid.
   */
  async crash(name: ServiceName, { signal = 'SIGKILL', timeoutMs = 180_000 } = {}): Promise<number> {
    const pid = this.pidOf(name);
    if (pid === undefined) throw new Error(`${name} is not running`);
    process.kill(pid, signal);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const restarted = this.pidOf(name);
      if (restarted !== undefined && restarted !== pid) {
        const ready = await fetch(`${this.url(name)}/health/ready`).then(
          (response) => response.status === 200,
          () => false,
        );
        if (ready) return restarted;
      }
      if (Date.now() > deadline)
        throw new Error(`${name} was not ready again ${timeoutMs} ms after ${signal}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** What start.mjs printed so far (one line per service warning or error, its progress, the banner). */
  get startOutput(): string {
    return this.output;
  }

  private async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(READY_LINE)) {
      if (this.exit !== undefined || Date.now() > deadline) {
        const why = this.exit
          ? `exited (${this.exit.signal ?? `code ${this.exit.code}`})`
          : 'was not ready in time';
        throw new Error(
          `npm start ${why}; logs in ${this.logDir}:\n${this.output.split('\n').slice(-30).join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * Stops start.mjs as Ctrl-C does (it stops the services in order); a service still running when it is done,
   * or after the deadline, is killed by its pid.
   */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    let services = childrenOf(pid);
    if (this.exit === undefined) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
      });
      const timedOut = await Promise.race([exited.then(() => false), late]);
      clearTimeout(timer);
      if (timedOut) {
        services = [...new Set([...services, ...childrenOf(pid)])];
        this.child.kill('SIGKILL');
        await exited;
      }
    }
    for (const service of services) {
      // Still the service we saw (a pid is reused only once it is gone): one of dist/'s mains.
      if (commandLineOf(service).includes(path.join(ROOT, 'dist'))) process.kill(service, 'SIGKILL');
    }
  }
}
