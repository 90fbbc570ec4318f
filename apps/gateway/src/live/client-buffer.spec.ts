import fc from 'fast-check';
import { ClientBuffer, RateLimiter } from './client-buffer';

describe(ClientBuffer.name, () => {
  const limits = { maxPending: 3, maxInFlight: 2 };

  it('lets a message through while nothing waits and the socket keeps up', () => {
    const buffer = new ClientBuffer<number>(limits);
    expect(buffer.offer(1, 0)).toBe('send');
    expect(buffer.offer(2, 1)).toBe('send');
    expect(buffer.size).toBe(0);
    expect(buffer.keepsUp(1)).toBe(true);
    expect(buffer.keepsUp(2)).toBe(false);
    buffer.offer(3, 2);
    // Something waits: nothing goes ahead of it, whatever room the socket has.
    expect(buffer.keepsUp(0)).toBe(false);
  });

  it('queues behind a busy socket and hands back in order as it drains', () => {
    const buffer = new ClientBuffer<number>(limits);
    expect(buffer.offer(1, 2)).toBe('queued');
    // Once something waits, a later message waits too, even if the socket has room: order holds.
    expect(buffer.offer(2, 0)).toBe('queued');
    expect(buffer.take(1)).toEqual([1]);
    expect(buffer.take(0)).toEqual([2]);
    expect(buffer.take(0)).toEqual([]);
  });

  it('drops a volatile message the client is too busy for, never queues it', () => {
    const buffer = new ClientBuffer<number>(limits);
    expect(buffer.offer(1, 2, { volatile: true })).toBe('dropped');
    expect(buffer.size).toBe(0);
    expect(buffer.offer(2, 0, { volatile: true })).toBe('send');
  });

  it('keeps only the latest message of a key, moved to the end so that order (and cursors) only grow', () => {
    const buffer = new ClientBuffer<string>(limits);
    expect(buffer.offer('kpi-a@1', 2, { key: 'a' })).toBe('queued');
    expect(buffer.offer('report@2', 2)).toBe('queued');
    expect(buffer.offer('kpi-a@3', 2, { key: 'a' })).toBe('coalesced');
    expect(buffer.take(0)).toEqual(['report@2', 'kpi-a@3']);
  });

  it('gives up on a client that falls too far behind: empties its buffer and says so once', () => {
    const buffer = new ClientBuffer<number>(limits);
    for (const n of [1, 2, 3]) expect(buffer.offer(n, 2)).toBe('queued');
    expect(buffer.offer(4, 2)).toBe('overflow');
    expect(buffer.size).toBe(0);
  });

  it('lets a replay exceed the limit without counting the client slow, until the replay is sent', () => {
    const buffer = new ClientBuffer<number>(limits);
    buffer.queueReplay([1, 2, 3, 4, 5, 6]);
    expect(buffer.offer(7, 2)).toBe('queued');
    expect(buffer.take(0)).toEqual([1, 2]);
    expect(buffer.take(0)).toEqual([3, 4]);
    expect(buffer.take(0)).toEqual([5, 6]);
    expect(buffer.take(0)).toEqual([7]);
  });

  it('never holds more than its limit beyond a replay, and never reorders, whatever it is offered', () => {
    const offer = fc.record({
      inFlight: fc.nat({ max: 4 }),
      key: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
      volatile: fc.boolean(),
      take: fc.nat({ max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(offer, { maxLength: 60 }), (offers) => {
        const buffer = new ClientBuffer<number>(limits);
        const sent: number[] = [];
        offers.forEach(({ inFlight, key, volatile, take }, n) => {
          const outcome = buffer.offer(n, inFlight, { ...(key ? { key } : {}), volatile });
          if (outcome === 'send') sent.push(n);
          expect(buffer.size).toBeLessThanOrEqual(limits.maxPending);
          sent.push(...buffer.take(take));
        });
        expect([...sent].sort((a, b) => a - b)).toEqual(sent);
      }),
    );
  });
});

describe(RateLimiter.name, () => {
  it('allows bursts of twice the rate, then the rate', () => {
    let now = 0;
    const limiter = new RateLimiter(5, () => now);
    const burst = Array.from({ length: 12 }, () => limiter.allow());
    expect(burst.filter(Boolean)).toHaveLength(10);
    now += 1000;
    expect(Array.from({ length: 6 }, () => limiter.allow()).filter(Boolean)).toHaveLength(5);
  });
});
