// Small process, file and network helpers shared by the infra scripts (Node built-ins only).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RUN_DIR = path.join(ROOT, '.run');
export const CACHE_DIR = path.join(ROOT, '.cache');
export const LOG_DIR = path.join(RUN_DIR, 'logs');

/** Progress goes to stderr so that stdout stays clean for what a caller may `eval` (infra up). */
export function say(message) {
  process.stderr.write(`[ioc] ${message}\n`);
}

export function rel(file) {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative || '.';
}

/** Hides the password of a connection URL before it is printed. */
export function maskUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}

export function tailFile(file, lines = 40) {
  if (!existsSync(file)) return `(no log at ${rel(file)})`;
  const text = readFileSync(file, 'utf8').trimEnd();
  return text.split('\n').slice(-lines).join('\n');
}

/** Polls `probe` until it returns a truthy value; `abort` may return a reason to give up early. */
export async function pollUntil(probe, { timeoutMs, intervalMs = 250, what, abort = () => undefined }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    const reason = abort();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function isPortOpen(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A port the kernel says is free right now on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs a command to completion and returns its stdout; rejects with its output on failure.
 * A missing executable rejects with `missingHint` when given, so the user learns what to install.
 */
export function run(command, args, { cwd = ROOT, env = process.env, missingHint } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', (error) => {
      if (error.code === 'ENOENT' && missingHint)
        reject(new Error(`\`${command}\` not found: ${missingHint}`));
      else reject(error);
    });
    child.once('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else {
        const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-30).join('\n');
        reject(
          new Error(`\`${command} ${args.join(' ')}\` failed (${signal ?? `exit ${code}`}):\n${output}`),
        );
      }
    });
  });
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by its parent) still answers signal 0, but it is gone for our purposes.
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** The command line of a live process, or '' (Linux /proc; elsewhere we cannot tell and say so). */
export function commandLineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * Stops a process this machine's scripts started earlier, known only by its pid (e.g. from .run/infra.json):
 * SIGTERM, then SIGKILL after the deadline. `mustContain` guards against a recycled pid.
 */
export async function stopPid(pid, { mustContain, timeoutMs = 30_000, name = `pid ${pid}` }) {
  if (!isAlive(pid)) return false;
  if (!commandLineOf(pid).includes(mustContain)) {
    say(`${name}: pid ${pid} is no longer the process we started; leaving it alone`);
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) {
    say(`${name} did not stop within ${timeoutMs / 1000} s; killing it`);
    process.kill(pid, 'SIGKILL');
  }
  return true;
}

/**
 * Stops a child process of this one: SIGTERM, then SIGKILL after the deadline. Waits for the 'exit'
 * event rather than polling the pid, which would still answer while the child is an unreaped zombie.
 */
export async function stopChild(child, { timeoutMs = 30_000, name = `pid ${child.pid}` } = {}) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    say(`${name} did not stop within ${timeoutMs / 1000} s; killing it`);
    child.kill('SIGKILL');
  }, timeoutMs);
  await exited;
  clearTimeout(timer);
}
