import type { LiveChange } from '@ioc/contracts';
import { decodeCursor } from './cursor';
import { type LogEntry, ReplayLog } from './replay-log';

const HORIZON = 60_000;
const NOW = 10_000_000;

function entry(log: ReplayLog, partition: number, offset: number, timestamp = NOW): LogEntry {
  return {
    stream: 'reports',
    partition,
    offset,
    timestamp,
    change: { stream: 'reports' } as LiveChange,
    cursor: log.cursorAfter('reports', partition, offset),
    routing: { stream: 'reports', agencies: [] },
    volatile: false,
  };
}

function aLog(): ReplayLog {
  const log = new ReplayLog(HORIZON);
  log.startPartition('reports', 0, 0);
  log.startPartition('reports', 1, 0);
  return log;
}

describe(ReplayLog.name, () => {
  it("resumes a message's cursor with exactly what followed it, in the order read", () => {
    const log = aLog();
    const read = [entry(log, 0, 0), entry(log, 1, 0), entry(log, 0, 1), entry(log, 1, 1)];
    for (const e of read) log.append(e, NOW);
    for (let i = 0; i < read.length; i++) {
      const resume = log.since(read[i].cursor);
      expect(resume).toEqual({ ok: true, entries: read.slice(i + 1) });
    }
  });

  it("gives a snapshot's cursor nothing to replay: it joins the live changes", () => {
    const log = aLog();
    log.append(entry(log, 0, 0), NOW);
    expect(log.since(log.cursor())).toEqual({ ok: true, entries: [] });
  });

  it('sends a cursor older than what the log holds to a snapshot', () => {
    const log = aLog();
    const first = entry(log, 0, 0, NOW - 2 * HORIZON);
    log.append(first, NOW);
    const second = entry(log, 0, 1);
    log.append(second, NOW);
    expect(log.since(first.cursor)).toEqual({ ok: true, entries: [second] });
    log.trim(NOW + HORIZON + 1);
    expect(log.since(first.cursor)).toEqual({ ok: false, reason: 'beyond-horizon' });
    expect(log.since(second.cursor)).toEqual({ ok: true, entries: [] });
  });

  it('tells a cursor from further along (another instance) from one that is invalid', () => {
    const log = aLog();
    const ahead = new ReplayLog(HORIZON);
    ahead.startPartition('reports', 0, 0);
    ahead.startPartition('reports', 1, 0);
    ahead.append(entry(ahead, 0, 0), NOW);
    expect(log.since(ahead.cursor())).toEqual({ ok: false, reason: 'ahead' });
    expect(log.since('not a cursor')).toEqual({ ok: false, reason: 'invalid-cursor' });
    // More partitions than this gateway knows: not this cluster's cursor.
    const wider = new ReplayLog(HORIZON);
    wider.startPartition('reports', 5, 0);
    expect(log.since(wider.cursor())).toEqual({ ok: false, reason: 'invalid-cursor' });
  });

  it('moves its positions past records that delivered nothing', () => {
    const log = aLog();
    log.advance('reports', 1, 7);
    expect(log.position('reports', 1)).toBe(7);
    expect(decodeCursor(log.cursor())[0]).toEqual([0, 7]);
  });
});
