// What `npm start` shows of a service's output, and what it keeps in the log file. Run: node --test scripts/infra/
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { createLogView, lineFormatter } from './log-view.mjs';

// Lines as our services write them (pino JSON, level labels), taken from a real `npm start`.
const entry = (fields) =>
  JSON.stringify({
    time: '2026-11-30T08:41:59.359Z',
    service: 'intake',
    pid: 14947,
    hostname: 'vm',
    ...fields,
  });
const info = entry({
  level: 'info',
  context: 'NestApplication',
  msg: 'Nest application successfully started',
});
const kafkaError = entry({
  level: 'error',
  context: 'kafkajs',
  broker: '127.0.0.1:19092',
  error: 'Connection error: connect ECONNREFUSED 127.0.0.1:19092',
  component: 'kafkajs',
  namespace: 'Connection',
  msg: 'Response Metadata(key: 3, version: 6)',
});
const thrown = entry({
  level: 'error',
  context: 'OutboxRelay',
  err: {
    type: 'Error',
    message: 'connection terminated',
    stack: 'Error: connection terminated\n    at x.js:1:1',
  },
  msg: 'relay pass failed',
});
const request = entry({
  level: 'warn',
  req: { method: 'POST', url: '/ingest/events', headers: {} },
  res: { statusCode: 422, headers: {} },
  msg: 'request completed',
});
const TIME = /^\[\d\d:\d\d:\d\d\] /;

describe('lineFormatter', () => {
  const sut = lineFormatter({ service: 'intake', now: () => new Date(2026, 0, 1, 9, 5, 7) });

  it('shows a warning or an error as one plain line: level, service, context, message and its gist', () => {
    for (const [line, expected] of [
      [
        kafkaError,
        'ERROR: intake kafkajs: Response Metadata(key: 3, version: 6) (Connection error: connect ECONNREFUSED 127.0.0.1:19092)',
      ],
      [thrown, 'ERROR: intake OutboxRelay: relay pass failed (connection terminated)'],
      [request, 'WARN: intake: request completed (POST /ingest/events → 422)'],
    ]) {
      const shown = sut(line);
      assert.match(shown, TIME);
      assert.equal(shown.replace(TIME, ''), expected);
      assert.doesNotMatch(shown, /\n/);
    }
  });

  it('hides entries below the threshold, which the log file still has', () => {
    assert.equal(sut(info), undefined);
    assert.equal(
      sut(entry({ level: 'debug', msg: 'Response GroupCoordinator(key: 10, version: 2)' })),
      undefined,
    );
    const verbose = lineFormatter({ service: 'intake', minLevel: 'info' });
    assert.equal(
      verbose(info).replace(TIME, ''),
      'INFO: intake NestApplication: Nest application successfully started',
    );
  });

  it("reads pino's numeric levels too", () => {
    assert.equal(sut(JSON.stringify({ level: 30, msg: 'fine' })), undefined);
    assert.equal(sut(JSON.stringify({ level: 50, msg: 'boom' })).replace(TIME, ''), 'ERROR: intake: boom');
  });

  it('shows output that is not a log entry (a crash before the logger existed), without stack frames', () => {
    assert.equal(
      sut('Start-up failed: Error: listen EADDRINUSE: address already in use 0.0.0.0:3002'),
      '[09:05:07] intake: Start-up failed: Error: listen EADDRINUSE: address already in use 0.0.0.0:3002',
    );
    assert.equal(sut('    at Server.setupListenHandle [as _listen2] (node:net:1908:16)'), undefined);
    assert.equal(sut(''), undefined);
    assert.equal(sut('[1, 2]'), '[09:05:07] intake: [1, 2]');
  });

  it('refuses a level it does not know', () => {
    assert.throws(() => lineFormatter({ service: 'x', minLevel: 'loud' }), /unknown log level "loud"/);
  });
});

describe('createLogView', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'log-view-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps a child's every line in the log file and shows only the notable ones", async () => {
    const logFile = path.join(dir, 'intake.log');
    const terminal = new PassThrough();
    let shown = '';
    terminal.on('data', (chunk) => (shown += chunk));
    const sut = createLogView({ service: 'intake', logFile, terminal });
    const script = `console.log(${JSON.stringify(info)}); console.log(${JSON.stringify(kafkaError)});
      console.error('Start-up failed: Error: boom\\n    at main (main.js:1:1)'); process.exit(1);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    sut.attach(child);
    await new Promise((resolve) => child.once('close', resolve));
    await sut.close();

    // Each stream keeps its order; stdout and stderr may interleave either way.
    const kept = readFileSync(logFile, 'utf8').trimEnd().split('\n');
    const stderr = ['Start-up failed: Error: boom', '    at main (main.js:1:1)'];
    assert.deepEqual([...kept].sort(), [info, kafkaError, ...stderr].sort());
    assert.ok(kept.indexOf(info) < kept.indexOf(kafkaError));
    assert.ok(kept.indexOf(stderr[0]) < kept.indexOf(stderr[1]));
    const lines = shown.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.ok(lines.some((line) => /ERROR: intake kafkajs: Response Metadata/.test(line)));
    assert.ok(lines.some((line) => /intake: Start-up failed: Error: boom$/.test(line)));
  });
});
