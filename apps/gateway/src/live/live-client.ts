import {
  type LiveClientEvents,
  LiveEvents,
  type LiveResyncReason,
  type LiveServerEvents,
  type LiveSnapshotMessage,
} from '@ioc/contracts';
import type { Socket } from 'socket.io';
import { ClientBuffer, type ClientBufferLimits } from './client-buffer';
import { type Audience, isVisible, type LiveFilter } from './live-filter';
import type { LiveMetrics } from './live-metrics';
import type { LogEntry } from './replay-log';

export type LiveSocket = Socket<LiveClientEvents, LiveServerEvents>;

/** socket.io-parser's type of an event packet. */
const EVENT_PACKET = 2;

/** The part of Socket.IO's client (one per connection) that its broadcasts write pre-encoded packets with. */
interface PacketWriter {
  writeToEngine(packets: unknown[], options: { preEncoded: true }): void;
}

/**
 * One connected client: who it is, what it subscribed to, and its bounded outgoing buffer. Messages go out in the
 * order the gateway read them; a client whose socket does not keep up has its traffic changes dropped and its KPI
 * values coalesced, and past its buffer's bound is told to resync, so it never delays the others.
 */
export class LiveClient {
  private filter: LiveFilter | undefined;
  private readonly buffer: ClientBuffer<LogEntry>;
  /** Told to resync: nothing more is pushed until it subscribes again. */
  private stalled = false;

  constructor(
    readonly socket: LiveSocket,
    readonly audience: Audience,
    limits: ClientBufferLimits,
    private readonly metrics: LiveMetrics,
  ) {
    this.buffer = new ClientBuffer(limits);
    socket.conn.on('drain', () => this.flush());
  }

  /** Starts (or restarts) the client's stream with `filter`: the gateway then sends its snapshot or replay. */
  subscribe(filter: LiveFilter): void {
    this.filter = filter;
    this.stalled = false;
    this.buffer.clear();
  }

  sees(entry: LogEntry): boolean {
    return this.filter !== undefined && isVisible(this.audience, this.filter, entry.routing);
  }

  visible = (routing: LogEntry['routing']): boolean =>
    this.filter !== undefined && isVisible(this.audience, this.filter, routing);

  /** A live change, if the client subscribed to what it concerns. */
  push(entry: LogEntry): void {
    if (this.stalled || !this.sees(entry)) return;
    const outcome = this.buffer.offer(entry, this.inFlight(), {
      ...(entry.coalesceKey === undefined ? {} : { key: entry.coalesceKey }),
      volatile: entry.volatile,
    });
    switch (outcome) {
      case 'send':
        this.write(entry);
        this.metrics.messagesOut.inc({ kind: 'event' });
        return;
      case 'queued':
        this.flush();
        return;
      case 'dropped':
      case 'coalesced':
        this.metrics.slow.inc({ outcome });
        return;
      case 'overflow':
        this.resync('too-slow');
        this.metrics.slow.inc({ outcome: 'too-slow' });
    }
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

  /**
   * Writes a change as `live:event`, encoded once for every client it goes to (as Socket.IO's own broadcast
   * does): with a thousand clients, encoding per client would cost more than everything else.
   */
  private write(entry: LogEntry): void {
    entry.packets ??= this.socket.nsp.server.encoder.encode({
      type: EVENT_PACKET,
      nsp: this.socket.nsp.name,
      data: [LiveEvents.event, entry.message],
    });
    (this.socket.client as unknown as PacketWriter).writeToEngine(entry.packets, { preEncoded: true });
  }

  /** Packets written to the socket but not yet handed to its transport (engine.io's write buffer). */
  private inFlight(): number {
    return (this.socket.conn as unknown as { writeBuffer: readonly unknown[] }).writeBuffer.length;
  }

  private flush(kind: 'event' | 'replay' = 'event'): void {
    const ready = this.buffer.take(this.inFlight());
    for (const entry of ready) this.write(entry);
    if (ready.length > 0) this.metrics.messagesOut.inc({ kind }, ready.length);
  }
}
