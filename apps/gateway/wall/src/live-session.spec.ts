import type { LiveSubscribeAck, LiveSubscription } from '@ioc/contracts';
import { EventEmitter } from 'node:events';
import { aKpiUpdate, aMessage, anIncidentEvent, aReportEvent, aSnapshot } from './fixtures';
import { type ConnectionState, EVENTS, LiveSession, type LiveSocketPort } from './live-session';
import { WallStore } from './state';

/** A socket.io-client socket as the session sees it; the spec plays the gateway. */
class FakeSocket extends EventEmitter {
  active = false;
  connects = 0;
  subscriptions: { subscription: LiveSubscription; ack: (answer: LiveSubscribeAck) => void }[] = [];

  connect(): void {
    this.connects += 1;
    this.active = true;
  }
  disconnect(): void {
    this.active = false;
  }
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === EVENTS.subscribe) {
      const [subscription, ack] = args as [LiveSubscription, (answer: LiveSubscribeAck) => void];
      this.subscriptions.push({ subscription, ack });
      return true;
    }
    return super.emit(event, ...args);
  }
  /** What the gateway sends. */
  send(event: string, ...args: unknown[]): void {
    super.emit(event, ...args);
  }
  get last() {
    return this.subscriptions[this.subscriptions.length - 1];
  }
}

function aSession() {
  const socket = new FakeSocket();
  const store = new WallStore();
  const states: ConnectionState[] = [];
  const timers: (() => void)[] = [];
  const sut = new LiveSession(socket as unknown as LiveSocketPort, store, {
    subscription: { streams: ['incidents', 'kpi'] },
    onChange: ({ state }) => states.push(state),
    schedule: (run) => timers.push(run),
  });
  return { socket, store, states, timers, sut };
}

describe(LiveSession.name, () => {
  it('subscribes on connect, goes live on the snapshot and applies events after it', () => {
    const { socket, store, sut } = aSession();
    sut.start();
    socket.send('connect');
    expect(socket.last.subscription).toEqual({ streams: ['incidents', 'kpi'] });
    socket.last.ack({ ok: true, start: 'snapshot' });
    expect(sut.connection).toBe('resyncing');
    socket.send(EVENTS.snapshot, aSnapshot({ cursor: 's.1' }));
    expect(sut.connection).toBe('live');
    socket.send(EVENTS.events, aMessage(anIncidentEvent()));
    expect(store.incidents.size).toBe(1);
  });

  it('applies the changes of a message in order, renders once, and stands at its cursor', () => {
    const { socket, store, states, sut } = aSession();
    sut.start();
    socket.send('connect');
    socket.send(EVENTS.snapshot, aSnapshot({ cursor: 's.1' }));
    const renders = states.length;
    const message = aMessage(
      anIncidentEvent({ status: 'open', occurredAt: '2025-09-01T01:00:00Z' }),
      aReportEvent({ reportId: 'R-7' }),
      anIncidentEvent({ status: 'acknowledged', occurredAt: '2025-09-01T02:00:00Z' }),
    );
    socket.send(EVENTS.events, message);
    expect(states.length).toBe(renders + 1);
    expect(store.incidents.get('INC-1')?.status).toBe('acknowledged');
    expect(store.reports.has('R-7')).toBe(true);
    expect(sut.book.current).toBe(message.cursor);
  });

  it('resumes from the last cursor after a reconnect and applies a replayed event once', () => {
    const { socket, store, sut } = aSession();
    sut.start();
    socket.send('connect');
    socket.send(EVENTS.snapshot, aSnapshot({ cursor: 's.1' }));
    const event = aKpiUpdate();
    const message = aMessage(event);
    socket.send(EVENTS.events, message);
    socket.send('disconnect', 'transport close');
    expect(sut.connection).toBe('reconnecting');
    socket.send('connect');
    expect(socket.last.subscription).toEqual({ streams: ['incidents', 'kpi'], resumeFrom: message.cursor });
    socket.last.ack({ ok: true, start: 'resumed' });
    expect(sut.connection).toBe('live');
    socket.send(
      EVENTS.events,
      aMessage(event, aKpiUpdate({ value: 81, computedAt: '2025-09-01T06:00:00Z' })),
    );
    expect(store.feed).toHaveLength(2);
  });

  it('starts again from a snapshot when the gateway asks for a resync', () => {
    const { socket, store, sut } = aSession();
    sut.start();
    socket.send('connect');
    socket.send(EVENTS.snapshot, aSnapshot({ cursor: 's.1' }));
    socket.send(EVENTS.events, aMessage(anIncidentEvent()));
    socket.send(EVENTS.resync, { reason: 'too-slow' });
    expect(sut.connection).toBe('resyncing');
    expect(socket.last.subscription).toEqual({ streams: ['incidents', 'kpi'] });
    socket.send(EVENTS.snapshot, aSnapshot());
    expect(store.incidents.size).toBe(0);
    expect(sut.connection).toBe('live');
  });

  it('falls back to a snapshot when the gateway refuses the cursor', () => {
    const { socket, sut } = aSession();
    sut.start();
    socket.send('connect');
    socket.send(EVENTS.snapshot, aSnapshot({ cursor: 's.1' }));
    socket.send('connect');
    socket.last.ack({ ok: false, error: { code: 'LIVE.INVALID_CURSOR', message: 'no' } });
    expect(socket.last.subscription).toEqual({ streams: ['incidents', 'kpi'] });
  });

  it('ignores the answer to a subscription that a newer one replaced', () => {
    const { socket, sut } = aSession();
    sut.start();
    socket.send('connect');
    const first = socket.last;
    socket.send(EVENTS.resync, { reason: 'requested' });
    first.ack({ ok: false, error: { code: 'LIVE.X', message: 'late' } });
    expect(sut.connection).toBe('resyncing');
  });

  it('reconnects by itself when the gateway closed the connection on its way down', () => {
    const { socket, timers, sut } = aSession();
    sut.start();
    socket.send('connect');
    socket.active = false;
    socket.send('disconnect', 'io server disconnect');
    expect(sut.connection).toBe('reconnecting');
    expect(timers).toHaveLength(1);
    timers[0]();
    expect(socket.connects).toBe(2);
  });

  it('stops for good on a refused or expired token, and on the session-expired message', () => {
    for (const [code, state] of [
      ['AUTH.TOKEN_EXPIRED', 'expired'],
      ['AUTH.INVALID_TOKEN', 'unauthorised'],
    ] as const) {
      const { socket, timers, sut } = aSession();
      sut.start();
      socket.send('connect_error', Object.assign(new Error('no'), { data: { code } }));
      expect(sut.connection).toBe(state);
      socket.send('disconnect', 'io server disconnect');
      expect(timers).toHaveLength(0);
    }
    const { socket, sut } = aSession();
    sut.start();
    socket.send(EVENTS.sessionExpired, { expiredAt: '2025-09-01T00:00:00Z' });
    expect(sut.connection).toBe('expired');
    expect(socket.active).toBe(false);
  });

  it('keeps trying while the gateway is unreachable', () => {
    const { socket, timers, sut } = aSession();
    sut.start();
    socket.active = false;
    socket.send('connect_error', new Error('xhr poll error'));
    expect(sut.connection).toBe('reconnecting');
    expect(timers).toHaveLength(1);
  });
});
