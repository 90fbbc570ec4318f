import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { type ServiceName, type ServiceProcesses, SERVICE_NAMES } from '@ioc/testing';

const ROOT = path.resolve(__dirname, '../../..');
const INFRA = path.join(ROOT, 'test', 'faults', 'infra.mjs');
const PROBE_INTERVAL_MS = 500;

/** A command of test/faults/infra.mjs on the suite's own broker or Postgres. */
export type InfraCommand = 'kill-kafka' | 'start-kafka' | 'crash-postgres' | 'start-postgres';

/** Runs `command` (test/faults/infra.mjs) and resolves with what it printed: the pid it acted on, if any. */
export function infra(command: InfraCommand): Promise<{ pid?: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [INFRA, command], { cwd: ROOT, timeout: 180_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`infra.mjs ${command} failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { pid?: number });
    });
  });
}

/** What an outage of the broker or of Postgres did to the services, from the kill until all were ready again. */
export interface OutageFindings {
  /** Seconds from the kill until the server was started again and answered. */
  downSeconds: number;
  /** Seconds from the kill until every service answered ready again. */
  recoveredSeconds: number;
  /** Per service that was not ready at some probe: about how many seconds it was not. */
  notReady: Partial<Record<ServiceName, number>>;
  /** Services whose process exited meanwhile and was started again by the supervisor. */
  restarted: ServiceName[];
  /** HTTP answers of 5xx the services logged meanwhile, by `<service> <status>`. */
  serverErrors: Record<string, number>;
  /** Warnings and errors the services logged meanwhile, by `<service>: <message>`, with their counts. */
  logged: Record<string, number>;
}

/**
 * Takes a server away under load and gives it back: `stop()`, `downMs` of nothing, `start()` (which resolves
 * once it answers). Meanwhile every service's `/health/ready` is probed; resolves once all of them answer
 * ready again, with what the probes, the pids and the services' logs (`services.logDir`) saw from the stop on.
 * Rejects, naming what each service that is still not ready says, when they are not within `timeoutMs`.
 */
export async function outage(
  services: ServiceProcesses,
  {
    stop,
    start,
    downMs,
    timeoutMs = 180_000,
  }: { stop: () => Promise<unknown>; start: () => Promise<unknown>; downMs: number; timeoutMs?: number },
): Promise<OutageFindings> {
  const pids = new Map(SERVICE_NAMES.map((name) => [name, services.pidOf(name)]));
  const probes = new ReadinessProbes(services);
  const began = Date.now();
  try {
    await stop();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await start();
    const up = Date.now();
    const deadline = up + timeoutMs;
    // Ready twice in a row, each by a process the supervisor runs: not a probe that slipped in before a crash.
    let readyBefore = false;
    for (;;) {
      const ready = (await probes.round()) && SERVICE_NAMES.every((name) => services.pidOf(name));
      if (ready && readyBefore) break;
      readyBefore = ready;
      if (Date.now() > deadline) {
        throw new Error(
          `not every service was ready ${timeoutMs / 1000} s after the server was back:\n${await notReadyNow(services)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    }
    const recovered = Date.now();
    const { serverErrors, logged } = await scanLogs(services.logDir, began, recovered);
    return {
      downSeconds: seconds(up - began),
      recoveredSeconds: seconds(recovered - began),
      notReady: probes.notReady(),
      restarted: SERVICE_NAMES.filter((name) => services.pidOf(name) !== pids.get(name)),
      serverErrors,
      logged,
    };
  } finally {
    await probes.stop();
  }
}

/** Probes every service's readiness in the background and adds up, per service, the time it was not ready. */
class ReadinessProbes {
  private readonly notReadyMs = new Map<ServiceName, number>();
  private last = Date.now();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly services: ServiceProcesses) {
    this.loop = this.run();
  }

  /** One probe of each service, counted like the background ones; true when all are ready. */
  async round(): Promise<boolean> {
    const now = Date.now();
    const since = now - this.last;
    this.last = now;
    const ready = await Promise.all(SERVICE_NAMES.map((name) => isReady(this.services, name)));
    SERVICE_NAMES.forEach((name, i) => {
      if (!ready[i]) this.notReadyMs.set(name, (this.notReadyMs.get(name) ?? 0) + since);
    });
    return ready.every(Boolean);
  }

  notReady(): Partial<Record<ServiceName, number>> {
    return Object.fromEntries([...this.notReadyMs].map(([name, ms]) => [name, seconds(ms)]));
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.round();
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    }
  }
}

async function isReady(services: ServiceProcesses, name: ServiceName): Promise<boolean> {
  try {
    const response = await fetch(`${services.url(name)}/health/ready`, {
      signal: AbortSignal.timeout(2_000),
    });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** What each service that is not ready says of itself (its readiness body names the failing check). */
async function notReadyNow(services: ServiceProcesses): Promise<string> {
  const lines: string[] = [];
  for (const name of SERVICE_NAMES) {
    try {
      const response = await fetch(`${services.url(name)}/health/ready`, {
        signal: AbortSignal.timeout(5_000),
      });
      if (response.status !== 200) lines.push(`${name}: ${response.status} ${await response.text()}`);
    } catch (error) {
      lines.push(`${name}: ${(error as Error).message}`);
    }
  }
  return lines.join('\n');
}

/** A service's JSON log line, as far as the scan reads it. */
interface LogLine {
  level?: string;
  time?: string;
  msg?: string;
  res?: { statusCode?: number };
}

/** The 5xx answers and the warnings and errors of every service's log between `from` and `to` (epoch ms). */
async function scanLogs(
  logDir: string,
  from: number,
  to: number,
): Promise<{ serverErrors: Record<string, number>; logged: Record<string, number> }> {
  const serverErrors: Record<string, number> = {};
  const logged: Record<string, number> = {};
  for (const name of SERVICE_NAMES) {
    const file = path.join(logDir, `${name}.log`);
    if (!existsSync(file)) continue;
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      // Cheap filters first: the log holds a line per request.
      if (!text.includes('"level":"warn"') && !text.includes('"level":"error"')) continue;
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue;
      }
      const at = Date.parse(line.time ?? '');
      if (!(at >= from && at <= to)) continue;
      const status = line.res?.statusCode;
      if (status !== undefined && status >= 500) {
        const key = `${name} ${status}`;
        serverErrors[key] = (serverErrors[key] ?? 0) + 1;
      }
      const key = `${name}: ${line.msg ?? '(no message)'}`;
      logged[key] = (logged[key] ?? 0) + 1;
    }
  }
  return { serverErrors, logged };
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}
