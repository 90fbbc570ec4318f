import { LIVE_STREAMS, type LiveChange, type LiveResyncReason, type LiveStream } from '@ioc/contracts';
import { decodeCursor, encodeCursor, InvalidCursorError, type LivePositions } from './cursor';
import type { Routing } from './live-filter';

/** A live change as the gateway read it: what is pushed, the cursor after it, and who may see it. */
export interface LogEntry {
  stream: LiveStream;
  partition: number;
  offset: number;
  /** Kafka timestamp, ms since the epoch: what the replay horizon is measured against. */
  timestamp: number;
  change: LiveChange;
  /** The cursor after this change: a `live:events` message ending with it carries it. */
  cursor: string;
  routing: Routing;
  /** Messages of one key supersede each other (a KPI bucket's value). */
  coalesceKey?: string;
  /** A change a busy client may miss: the next one of the same item supersedes it (traffic). */
  volatile: boolean;
}

/** Where a cursor leads: what was missed since it, or why a snapshot is needed instead. */
export type Resume =
  | { ok: true; entries: LogEntry[] }
  | { ok: false; reason: Extract<LiveResyncReason, 'beyond-horizon' | 'invalid-cursor'> }
  | { ok: false; reason: 'ahead' };

const STREAM_INDEX = new Map<LiveStream, number>(LIVE_STREAMS.map((stream, index) => [stream, index]));

/**
 * The gateway's positions in the live topics and the changes it read within the replay horizon, in the order it
 * read them: a cursor is a position vector, and resuming from it is handing back what follows it in this log
 * (docs/architecture.md, "Live gateway"). Every instance reads the topics from their beginning, so every instance
 * holds the same log and can resume any client, also after a restart.
 */
export class ReplayLog {
  /** Per stream, per partition: the next offset to read. */
  private readonly positions: LivePositions = LIVE_STREAMS.map(() => []);
  /** Per stream, per partition: the oldest cursor offset the log can resume from. */
  private readonly replayFrom: LivePositions = LIVE_STREAMS.map(() => []);
  /** Per stream, per partition: how many entries the log holds. */
  private readonly kept: LivePositions = LIVE_STREAMS.map(() => []);
  private entries: LogEntry[] = [];
  private head = 0;

  constructor(private readonly horizonMs: number) {}

  /** Starts a partition at the first offset its topic still holds. */
  startPartition(stream: LiveStream, partition: number, firstOffset: number): void {
    const s = STREAM_INDEX.get(stream) as number;
    this.ensure(s, partition);
    this.positions[s][partition] = firstOffset;
    this.replayFrom[s][partition] = firstOffset;
  }

  /** The next offset to read of a partition. */
  position(stream: LiveStream, partition: number): number {
    return this.positions[STREAM_INDEX.get(stream) as number][partition] ?? 0;
  }

  /** Moves past records that were read but delivered nothing (skipped as not events). */
  advance(stream: LiveStream, partition: number, nextOffset: number): void {
    const s = STREAM_INDEX.get(stream) as number;
    this.ensure(s, partition);
    if (nextOffset > this.positions[s][partition]) this.positions[s][partition] = nextOffset;
  }

  /** The cursor of the current position, as the next entry will carry it once appended. */
  cursorAfter(stream: LiveStream, partition: number, offset: number): string {
    this.advance(stream, partition, offset + 1);
    return encodeCursor(this.positions);
  }

  /** The cursor of everything read so far (a snapshot's). */
  cursor(): string {
    return encodeCursor(this.positions);
  }

  /** Records a change read at `now`; one older than the horizon is not kept unless its partition has newer ones. */
  append(entry: LogEntry, now: number): void {
    const s = STREAM_INDEX.get(entry.stream) as number;
    this.advance(entry.stream, entry.partition, entry.offset + 1);
    if (entry.timestamp < now - this.horizonMs && this.kept[s][entry.partition] === 0) {
      this.replayFrom[s][entry.partition] = entry.offset + 1;
      return;
    }
    this.entries.push(entry);
    this.kept[s][entry.partition] += 1;
  }

  /** Forgets the changes older than the horizon, from the oldest read. */
  trim(now: number): void {
    const cutoff = now - this.horizonMs;
    while (this.head < this.entries.length && this.entries[this.head].timestamp < cutoff) {
      const entry = this.entries[this.head++];
      const s = STREAM_INDEX.get(entry.stream) as number;
      this.replayFrom[s][entry.partition] = entry.offset + 1;
      this.kept[s][entry.partition] -= 1;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  /**
   * What follows `cursor`, in the order read; or why it cannot be resumed: `invalid-cursor` (not a cursor, or
   * partitions this gateway does not know), `beyond-horizon`, or `ahead` (a cursor of an instance that has read
   * further than this one: wait and ask again).
   */
  since(cursor: string): Resume {
    let from: LivePositions;
    try {
      from = decodeCursor(cursor);
    } catch (error) {
      if (error instanceof InvalidCursorError) return { ok: false, reason: 'invalid-cursor' };
      throw error;
    }
    let ahead = false;
    for (let s = 0; s < LIVE_STREAMS.length; s++) {
      if (from[s].length > this.positions[s].length) return { ok: false, reason: 'invalid-cursor' };
      for (let p = 0; p < this.positions[s].length; p++) {
        // A partition the cursor does not name was added since: the client has read none of it.
        const offset = from[s][p] ?? 0;
        if (offset > this.positions[s][p]) ahead = true;
        else if (offset < this.replayFrom[s][p]) return { ok: false, reason: 'beyond-horizon' };
      }
    }
    if (ahead) return { ok: false, reason: 'ahead' };
    const entries: LogEntry[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i];
      const s = STREAM_INDEX.get(entry.stream) as number;
      if (entry.offset >= (from[s][entry.partition] ?? 0)) entries.push(entry);
    }
    return { ok: true, entries };
  }

  private ensure(s: number, partition: number): void {
    for (let p = this.positions[s].length; p <= partition; p++) {
      this.positions[s][p] = 0;
      this.replayFrom[s][p] = 0;
      this.kept[s][p] = 0;
    }
  }
}
