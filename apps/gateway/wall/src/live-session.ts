import type {
  LiveErrorMessage,
  LiveEventsMessage,
  LiveResyncReason,
  LiveSnapshotMessage,
  LiveSubscribeAck,
  LiveSubscription,
  LiveEvents as LiveEventNames,
} from '@ioc/contracts';
import { CursorBook } from './cursor';
import type { WallStore } from './state';

/** The contract's event names, written here so the bundle carries no runtime code of the contracts lib. */
export const EVENTS = {
  subscribe: 'live:subscribe',
  snapshot: 'live:snapshot',
  events: 'live:events',
  resync: 'live:resync',
  error: 'live:error',
  sessionExpired: 'live:session-expired',
} as const satisfies typeof LiveEventNames;

/** What the connection badge shows; always one of these. */
export type ConnectionState =
  'connecting' | 'live' | 'reconnecting' | 'resyncing' | 'offline' | 'unauthorised' | 'expired';

/** The part of a socket.io-client `Socket` the session drives (a fake in the specs). */
export interface LiveSocketPort {
  readonly active: boolean;
  on(event: 'connect', handler: () => void): unknown;
  on(event: 'disconnect', handler: (reason: string) => void): unknown;
  on(event: 'connect_error', handler: (error: Error & { data?: { code?: string } }) => void): unknown;
  on(event: typeof EVENTS.snapshot, handler: (message: LiveSnapshotMessage) => void): unknown;
  on(event: typeof EVENTS.events, handler: (message: LiveEventsMessage) => void): unknown;
  on(event: typeof EVENTS.resync, handler: (message: { reason: LiveResyncReason }) => void): unknown;
  on(event: typeof EVENTS.error, handler: (message: LiveErrorMessage) => void): unknown;
  on(event: typeof EVENTS.sessionExpired, handler: (message: { expiredAt: string }) => void): unknown;
  emit(
    event: typeof EVENTS.subscribe,
    subscription: LiveSubscription,
    ack: (answer: LiveSubscribeAck) => void,
  ): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

export interface LiveSessionOptions {
  /** Streams and filters of every subscription; the cursor is added by the session. */
  subscription?: Omit<LiveSubscription, 'resumeFrom'>;
  /** Called after every change of state or data, for the page to render. */
  onChange(change: { state: ConnectionState; data: boolean; error?: string }): void;
  /** Timer for reconnecting after the gateway closed the connection itself (restart); `setTimeout` by default. */
  schedule?: (run: () => void, delayMs: number) => unknown;
}

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000, 10000];

/**
 * The wall's live connection: subscribes on every (re)connect from the last cursor, applies snapshots and the
 * changes of each `live:events` message to the store exactly once (rendering once per message), starts again from a snapshot when the gateway asks for a resync, and reconnects by
 * itself when the gateway restarts, including when the gateway closed the connection on its way down (which
 * socket.io-client does not retry on its own). Stops only when the session's token is refused or expired.
 */
export class LiveSession {
  readonly book = new CursorBook();
  private state: ConnectionState = 'connecting';
  private stopped = false;
  private attempts = 0;
  /** Counts subscriptions, so that the answer to a replaced one is ignored. */
  private generation = 0;

  constructor(
    private readonly socket: LiveSocketPort,
    private readonly store: WallStore,
    private readonly options: LiveSessionOptions,
  ) {
    socket.on('connect', () => {
      this.attempts = 0;
      this.subscribe();
    });
    socket.on('disconnect', (reason) => this.onDisconnect(reason));
    socket.on('connect_error', (error) => this.onConnectError(error));
    socket.on(EVENTS.snapshot, (snapshot) => {
      this.store.applySnapshot(snapshot);
      this.book.snapshotAt(snapshot.cursor);
      this.set('live', true);
    });
    socket.on(EVENTS.events, (message) => {
      let changed = false;
      for (const change of message.changes)
        if (this.book.accept(change.event.id) && this.store.applyEvent(change)) changed = true;
      this.book.advance(message.cursor);
      if (changed) this.options.onChange({ state: this.state, data: true });
    });
    socket.on(EVENTS.resync, () => {
      this.book.reset();
      this.set('resyncing');
      this.subscribe();
    });
    socket.on(EVENTS.error, (error) =>
      this.options.onChange({ state: this.state, data: false, error: error.code }),
    );
    socket.on(EVENTS.sessionExpired, () => this.stop('expired'));
  }

  get connection(): ConnectionState {
    return this.state;
  }

  start(): void {
    this.set('connecting');
    this.socket.connect();
  }

  /** Ends the session (logout, refused or expired token): no reconnect. */
  stop(state: ConnectionState = 'offline'): void {
    this.stopped = true;
    this.set(state);
    this.socket.disconnect();
  }

  private subscribe(): void {
    const generation = ++this.generation;
    const subscription = this.book.subscription(this.options.subscription);
    this.socket.emit(EVENTS.subscribe, subscription, (answer) => {
      if (generation !== this.generation) return;
      if (!answer.ok) {
        // A cursor the gateway cannot use: start over from a snapshot rather than stay without data.
        if (subscription.resumeFrom !== undefined) {
          this.book.reset();
          this.subscribe();
          return;
        }
        this.set('offline', false, answer.error.code);
        return;
      }
      if (answer.start === 'resumed') this.set('live');
      else if (this.state !== 'live' || answer.resync !== undefined) this.set('resyncing');
    });
  }

  private onDisconnect(reason: string): void {
    if (this.stopped) return;
    this.set('reconnecting');
    // The gateway closing the connection on its way down (a restart) is not retried by socket.io-client.
    if (reason === 'io server disconnect') this.reconnectLater();
  }

  private onConnectError(error: Error & { data?: { code?: string } }): void {
    if (this.stopped) return;
    const code = error.data?.code;
    if (code === 'AUTH.TOKEN_EXPIRED') return this.stop('expired');
    if (code !== undefined && code.startsWith('AUTH.')) return this.stop('unauthorised');
    this.set('reconnecting', false, code);
    if (!this.socket.active) this.reconnectLater();
  }

  private reconnectLater(): void {
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempts, RECONNECT_DELAYS_MS.length - 1)];
    this.attempts += 1;
    const schedule = this.options.schedule ?? ((run, ms) => setTimeout(run, ms));
    schedule(() => {
      if (!this.stopped && !this.socket.active) this.socket.connect();
    }, delay);
  }

  private set(state: ConnectionState, data = false, error?: string): void {
    this.state = state;
    this.options.onChange({ state, data, ...(error === undefined ? {} : { error }) });
  }
}
