import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SentLog } from './sent-log';

describe(SentLog.name, () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'sent-log-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);

  it('writes a batch before it is sent and its outcome after, under one batch id', () => {
    const file = path.join(dir, 'sent.jsonl');
    const sut = new SentLog(file, 'sim-1-ab');
    const events = [{ id: 'e1', type: 'ioc.camera.heartbeat.v1', subject: 'CAM-1' }];
    const batch = sut.sent('kafka', events);
    const report = sut.sent('reports.rest');
    sut.outcome(report, 'reports.rest', 'accepted', 'r-1');
    sut.outcome(batch, 'kafka', 'failed');

    expect(batch).not.toBe(report);
    expect(lines(file)).toEqual([
      { batch, interface: 'kafka', phase: 'sent', events },
      { batch: report, interface: 'reports.rest', phase: 'sent' },
      { batch: report, interface: 'reports.rest', phase: 'accepted', reportId: 'r-1' },
      { batch, interface: 'kafka', phase: 'failed' },
    ]);
  });

  it('writes nothing without a file', () => {
    const sut = new SentLog(undefined, 'sim-1-ab');
    expect(() => sut.outcome(sut.sent('kafka', []), 'kafka', 'accepted')).not.toThrow();
  });
});
