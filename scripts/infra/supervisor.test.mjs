// The supervisor behind `npm start`, driving tiny real child processes. Run: node --test scripts/infra/
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { Supervisor, describeDelay, describeExit } from './supervisor.mjs';
import { pollUntil } from './util.mjs';

/** A child that prints `ready` and then idles until it is killed, or one that exits at once with `exitCode`. */
function node(script) {
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
}
const idle = "console.log('ready'); setInterval(() => undefined, 1 << 30);";

/** A supervisor over `script` that records what it reports, every child it started, and which said `ready`. */
function supervise(script, options = {}) {
  const reports = [];
  const children = [];
  const ready = new Set();
  const supervisor = new Supervisor({
    name: 'tiny',
    logFile: '.run/logs/tiny.log',
    spawn: () => {
      const child = node(script);
      children.push(child);
      child.stdout.on('data', (chunk) => chunk.toString().includes('ready') && ready.add(child));
      return child;
    },
    probe: async () => ready.has(children.at(-1)),
    report: (message, event) => reports.push({ message, ...event }),
    initialDelayMs: 20,
    maxDelayMs: 80,
    probeIntervalMs: 10,
    ...options,
  });
  return { supervisor, reports, children };
}

const until = (probe, what) => pollUntil(async () => probe(), { timeoutMs: 10_000, intervalMs: 10, what });
const exits = (reports) => reports.filter((report) => report.type === 'exit');

describe('Supervisor', () => {
  it('restarts a process that keeps exiting, with doubling delays up to the cap, reporting each exit', async () => {
    const { supervisor, reports, children } = supervise('process.exit(3)');
    supervisor.start();
    await until(() => exits(reports).length >= 5, 'five exits');
    await supervisor.stop();

    assert.deepEqual(
      exits(reports)
        .slice(0, 5)
        .map((report) => report.delayMs),
      [20, 40, 80, 80, 80],
    );
    assert.equal(
      exits(reports)[0].message,
      'tiny exited (exit code 3); log .run/logs/tiny.log; restarting in 20 ms',
    );
    // Each report was followed by a new process, except perhaps the last, cut short by stop().
    assert.ok(children.length >= 5);
    await assert.rejects(supervisor.ready(), /stopped before it was ready/);
  });

  it('says which signal killed a ready process, brings it back ready, and stop() ends it for good', async () => {
    const { supervisor, reports, children } = supervise(idle, { resetAfterMs: 60_000 });
    supervisor.start();
    await supervisor.ready();

    for (const restart of [1, 2]) {
      children.at(-1).kill('SIGKILL');
      await until(
        () => reports.some((report) => report.type === 'ready' && report.restarts === restart),
        `ready after restart ${restart}`,
      );
    }
    assert.deepEqual(
      reports.map((report) => report.message),
      [
        'tiny exited (signal SIGKILL); log .run/logs/tiny.log; restarting in 20 ms',
        'tiny is ready again (restart 1)',
        // Killed again before it had stayed up `resetAfterMs`: the delay keeps growing.
        'tiny exited (signal SIGKILL); log .run/logs/tiny.log; restarting in 40 ms',
        'tiny is ready again (restart 2)',
      ],
    );

    const last = children.at(-1);
    await supervisor.stop();
    assert.ok(last.exitCode !== null || last.signalCode !== null, 'the last process has ended');
    assert.equal(children.length, 3);
    assert.equal(reports.length, 4, 'an exit caused by stop() is not reported');
  });

  it('starts the delay over once the process has stayed ready long enough', async () => {
    const { supervisor, reports, children } = supervise(idle, { resetAfterMs: 30 });
    supervisor.start();
    await supervisor.ready();
    children.at(-1).kill('SIGKILL');
    await until(() => reports.some((report) => report.type === 'ready'), 'ready again');
    assert.equal(supervisor.nextDelayMs, 40);

    await until(() => supervisor.nextDelayMs === 20, 'the delay to start over');
    await supervisor.stop();
  });

  it('ready(timeoutMs) gives up on a process that never gets ready, naming its log', async () => {
    const { supervisor } = supervise('setInterval(() => undefined, 1 << 30);');
    supervisor.start();
    try {
      await assert.rejects(supervisor.ready(50), {
        message: 'tiny: not ready after 50 ms; log .run/logs/tiny.log',
      });
    } finally {
      await supervisor.stop();
    }
  });

  it('stop() during the wait before a restart ends the wait: nothing is started again', async () => {
    const { supervisor, reports, children } = supervise('process.exit(1)', {
      initialDelayMs: 60_000,
      maxDelayMs: 60_000,
    });
    supervisor.start();
    await until(() => exits(reports).length === 1, 'the first exit');
    assert.match(exits(reports)[0].message, /restarting in 60 s$/);

    await supervisor.stop();
    // The 60 s timer is gone with it (nothing else in this file waits that long).
    await until(() => !process.getActiveResourcesInfo().includes('Timeout'), 'no timer left');
    assert.equal(children.length, 1);
    assert.equal(supervisor.restarts, 0);
  });
});

describe('describeExit and describeDelay', () => {
  it('names the signal when there is one, else the exit code', () => {
    assert.equal(describeExit(null, 'SIGKILL'), 'signal SIGKILL');
    assert.equal(describeExit(1, null), 'exit code 1');
  });

  it('writes delays in ms below a second and in s above', () => {
    assert.equal(describeDelay(250), '250 ms');
    assert.equal(describeDelay(1000), '1 s');
    assert.equal(describeDelay(30_000), '30 s');
  });
});
