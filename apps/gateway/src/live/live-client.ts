import {
  type LiveClientEvents,
  LiveEvents,
  type LiveEventsMessage,
  type LiveResyncReason,
  type LiveServerEvents,
  type LiveSnapshotMessage,
} from '@ioc/contracts';
import type { Socket } from 'socket.io';
import { ClientBuffer, type ClientBufferLimits } from './client-buffer';
import { type Audience, filterKey, isVisible, type LiveFilter } from './live-filter';
import type { LiveMetrics } from './live-metrics';
import type { LogEntry } from './replay-log';

export type LiveSocket = Socket<LiveClientEvents, LiveServerEvents>;

/** socket.io-parser's type of an event packet. */
const EVENT_PACKET = 2;
/** Most changes one `live:events` message carries; a longer run (a replay, a burst) goes out as several. */
const MAX_CHANGES_PER_MESSAGE = 256;

/** The part of Socket.IO's client (one per connection) that its broadcasts write pre-encoded packets with. */
interface PacketWriter {
  writeToEngine(packets: unknown[], options: { preEncoded: true }): void;
}

/** Consecutive runs of at most {@link MAX_CHANGES_PER_MESSAGE} entries. */
function chunked(entries: readonly LogEntry[]): (readonly LogEntry[])[] {
  if (entries.length === 0) return [];
  if (entries.length <= MAX_CHANGES_PER_MESSAGE) return [entries];
  const chunks: LogEntry[][] = [];
  for (let i = 0; i < entries.length; i += MAX_CHANGES_PER_MESSAGE)
    chunks.push(entries.slice(i, i + MAX_CHANGES_PER_MESSAGE));
  return chunks;
}

/**
 * The changes of one push that every client of one audience and filter receives, as `live:events` messages
 * encoded once for all of them (as Socket.IO's own broadcast does): with a thousand clients, encoding per client
 * would cost more than everything else.
 */
export class SharedPush {
  readonly messages: { entries: readonly LogEntry[]; packets?: unknown[] }[];

  constructor(readonly entries: readonly LogEntry[]) {
    this.messages = chunked(entries).map((run) => ({ entries: run }));
  }
}

/**
 * One connected client: who it is, what it subscribed to, and its bounded outgoing buffer. Changes go out in the
 * order the gateway read them, at most one `live:events` message per push; a client whose socket does not keep
 * up has its traffic changes dropped and its KPI values coalesced, and past its buffer's bound is told to resync,
 * so it never delays the others. Every limit counts changes, whatever the messages they travel in.
 */
export class LiveClient {
  private filter: LiveFilter | undefined;
  /** Clients of one key see the same changes: they share a push's encoded messages. */
  private key: string | undefined;
  private readonly buffer: ClientBuffer<LogEntry>;
  /** Changes in each message written, newest last: the unsent ones are the last the engine still holds. */
  private readonly written: number[] = [];
  /** Told to resync: nothing more is pushed until it subscribes again. */
  private stalled = false;

  constructor(
    readonly socket: LiveSocket,
    readonly audience: Audience,
    private readonly limits: ClientBufferLimits,
    private readonly metrics: LiveMetrics,
  ) {
    this.buffer = new ClientBuffer(limits);
    socket.conn.on('drain', () => this.flush());
  }

  /** Starts (or restarts) the client's stream with `filter`: the gateway then sends its snapshot or replay. */
  subscribe(filter: LiveFilter): void {
    this.filter = filter;
    this.key = filterKey(this.audience, filter);
    this.stalled = false;
    this.buffer.clear();
  }

  sees(entry: LogEntry): boolean {
    return this.filter !== undefined && isVisible(this.audience, this.filter, entry.routing);
  }

  visible = (routing: LogEntry['routing']): boolean =>
    this.filter !== undefined && isVisible(this.audience, this.filter, routing);

  /**
   * The changes read since the last push, of which the client gets those it subscribed to: from `shared`, the
   * push of the clients with its filter (made here by the first of them), written as is when the client keeps up,
   * else offered change by change to its buffer.
   */
  push(entries: readonly LogEntry[], shared: Map<string, SharedPush>): void {
    if (this.stalled || this.key === undefined) return;
    let push = shared.get(this.key);
    if (push === undefined) {
      push = new SharedPush(entries.filter((entry) => this.sees(entry)));
      shared.set(this.key, push);
    }
    if (push.entries.length === 0) return;
    if (this.buffer.keepsUp(this.inFlight())) {
      for (const message of push.messages) {
        message.packets ??= this.encode(message.entries);
        this.write(message.entries.length, message.packets);
      }
      this.metrics.messagesOut.inc({ kind: 'event' }, push.entries.length);
      return;
    }
    const now: LogEntry[] = [];
    const inFlight = this.inFlight();
    for (const entry of push.entries) {
      const outcome = this.buffer.offer(entry, inFlight, {
        ...(entry.coalesceKey === undefined ? {} : { key: entry.coalesceKey }),
        volatile: entry.volatile,
      });
      switch (outcome) {
        case 'send':
          now.push(entry);
          break;
        case 'queued':
          break;
        case 'dropped':
        case 'coalesced':
          this.metrics.slow.inc({ outcome });
          break;
        case 'overflow':
          this.resync('too-slow');
          this.metrics.slow.inc({ outcome: 'too-slow' });
          return;
      }
    }
    // What could go at once precedes anything that waits.
    for (const run of chunked(now)) this.write(run.length, this.encode(run));
    if (now.length > 0) this.metrics.messagesOut.inc({ kind: 'event' }, now.length);
    this.flush();
  }

  /** What was missed since a cursor, in the order read, ahead of any live change. */
  replay(entries: readonly LogEntry[]): void {
    this.buffer.queueReplay(entries.filter((entry) => this.sees(entry)));
    this.flush('replay');
  }

  snapshot(message: LiveSnapshotMessage): void {
    this.socket.emit(LiveEvents.snapshot, message);
    this.metrics.messagesOut.inc({ kind: 'snapshot' });
  }

  resync(reason: LiveResyncReason): void {
    this.stalled = true;
    this.buffer.clear();
    this.socket.emit(LiveEvents.resync, { reason });
  }

  /** A run of changes as one `live:events` message, with the cursor after the last. */
  private encode(entries: readonly LogEntry[]): unknown[] {
    const message: LiveEventsMessage = {
      cursor: entries[entries.length - 1].cursor,
      changes: entries.map((entry) => entry.change),
    };
    return this.socket.nsp.server.encoder.encode({
      type: EVENT_PACKET,
      nsp: this.socket.nsp.name,
      data: [LiveEvents.events, message],
    });
  }

  private write(changes: number, packets: unknown[]): void {
    (this.socket.client as unknown as PacketWriter).writeToEngine(packets, { preEncoded: true });
    this.written.push(changes);
    // Each message holds a change at least: older ones than this never matter to the limit.
    if (this.written.length > 2 * this.limits.maxInFlight)
      this.written.splice(0, this.written.length - this.limits.maxInFlight);
  }

  /**
   * Changes written to the socket but not yet handed to its transport: those of the last messages, as many as
   * engine.io's write buffer holds packets (its other packets, a snapshot or a ping, count as the messages before
   * them: an overestimate, never an under one).
   */
  private inFlight(): number {
    const packets = (this.socket.conn as unknown as { writeBuffer: readonly unknown[] }).writeBuffer.length;
    let changes = 0;
    for (let i = this.written.length - 1, n = 0; i >= 0 && n < packets; i--, n++) changes += this.written[i];
    return changes;
  }

  private flush(kind: 'event' | 'replay' = 'event'): void {
    for (;;) {
      const ready = this.buffer.take(this.inFlight());
      if (ready.length === 0) return;
      for (const run of chunked(ready)) this.write(run.length, this.encode(run));
      this.metrics.messagesOut.inc({ kind }, ready.length);
    }
  }
}
