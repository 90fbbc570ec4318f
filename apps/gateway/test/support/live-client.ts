import {
  LIVE_NAMESPACE,
  type LiveClientEvents,
  type LiveErrorMessage,
  LiveEvents,
  type LiveChange,
  type LiveEventsMessage,
  type LiveResyncReason,
  type LiveServerEvents,
  type LiveSnapshotMessage,
  type LiveSubscribeAck,
} from '@ioc/contracts';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';

/** The `/live` URL of a booted gateway. */
export function liveUrl(app: INestApplication): string {
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}${LIVE_NAMESPACE}`;
}

/** A connection refused at the handshake: socket.io-client's `connect_error`. */
export type ConnectRefusal = Error & { data?: { code: string; statusCode: number } };

/**
 * A real socket.io-client connection to a gateway that records everything it receives, in order.
 */
export class LiveTestClient {
  /** The `live:events` messages received. */
  readonly messages: LiveEventsMessage[] = [];
  /** The changes of those messages, in order. */
  readonly events: LiveChange[] = [];
  readonly snapshots: LiveSnapshotMessage[] = [];
  readonly resyncs: LiveResyncReason[] = [];
  readonly errors: LiveErrorMessage[] = [];
  readonly expired: string[] = [];
  /** Every message in arrival order, by event name. */
  readonly received: { name: string; payload: unknown }[] = [];
  disconnected = false;

  private constructor(readonly socket: Socket<LiveServerEvents, LiveClientEvents>) {
    socket.on(LiveEvents.events, (message) => {
      this.messages.push(message);
      this.events.push(...message.changes);
    });
    socket.on(LiveEvents.snapshot, (message) => this.snapshots.push(message));
    socket.on(LiveEvents.resync, ({ reason }) => this.resyncs.push(reason));
    socket.on(LiveEvents.error, (error) => this.errors.push(error));
    socket.on(LiveEvents.sessionExpired, ({ expiredAt }) => this.expired.push(expiredAt));
    socket.onAny((name: string, payload: unknown) => this.received.push({ name, payload }));
    socket.on('disconnect', () => {
      this.disconnected = true;
    });
  }

  /** Connects with `token` (none when undefined); rejects with the `connect_error` of a refused handshake. */
  static connect(
    url: string,
    token: string | undefined,
    options: { transports?: ('websocket' | 'polling')[] } = {},
  ): Promise<LiveTestClient> {
    const socket = io(url, {
      ...(token === undefined ? {} : { auth: { token } }),
      transports: options.transports ?? ['websocket'],
      reconnection: false,
      forceNew: true,
    }) as Socket<LiveServerEvents, LiveClientEvents>;
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new LiveTestClient(socket)));
      socket.once('connect_error', (error: ConnectRefusal) => {
        socket.close();
        reject(error);
      });
    });
  }

  subscribe(subscription: Record<string, unknown> = {}): Promise<LiveSubscribeAck> {
    return this.socket.timeout(60_000).emitWithAck(LiveEvents.subscribe, subscription as never);
  }

  /** The cursor of the last message received (live changes or snapshot). */
  lastCursor(): string | undefined {
    for (let i = this.received.length - 1; i >= 0; i--) {
      const { name, payload } = this.received[i];
      if (name === LiveEvents.events || name === LiveEvents.snapshot)
        return (payload as { cursor: string }).cursor;
    }
    return undefined;
  }

  /** Ids of the live events received, in order. */
  eventIds(): string[] {
    return this.events.map((message) => message.event.id);
  }

  close(): void {
    this.socket.close();
  }
}
