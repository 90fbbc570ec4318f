import { IngestRateLimiter } from './ingest-rate.limiter';

describe(IngestRateLimiter.name, () => {
  let now: number;
  let sut: IngestRateLimiter;

  beforeEach(() => {
    now = 0;
    sut = new IngestRateLimiter(2, 3, () => now);
  });

  it('allows a burst, then refuses with the time until the next token', () => {
    expect([sut.take('k'), sut.take('k'), sut.take('k')]).toEqual(Array(3).fill({ allowed: true }));
    expect(sut.take('k')).toEqual({ allowed: false, retryAfterSeconds: 0.5 });
  });

  it('refills at the sustained rate, never above the burst', () => {
    for (let i = 0; i < 3; i++) sut.take('k');
    now = 500;
    expect(sut.take('k')).toEqual({ allowed: true });
    expect(sut.take('k').allowed).toBe(false);
    now = 60_000;
    const allowed = Array.from({ length: 5 }, () => sut.take('k').allowed);
    expect(allowed).toEqual([true, true, true, false, false]);
  });

  it('keeps one bucket per key', () => {
    for (let i = 0; i < 3; i++) sut.take('a');
    expect(sut.take('a').allowed).toBe(false);
    expect(sut.take('b').allowed).toBe(true);
  });
});
