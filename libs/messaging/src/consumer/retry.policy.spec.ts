import { MessagingError } from '../messaging.errors';
import { RetryPolicy } from './retry.policy';

describe(RetryPolicy.name, () => {
  const options = { initialMs: 100, maxMs: 1_000, maxAttempts: 4 };

  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1_000],
    [12, 1_000],
  ])('after attempt %i the delay ceiling is %i ms, capped at maxMs', (attempt, ceiling) => {
    const atMost = new RetryPolicy(options, () => 1);
    const atLeast = new RetryPolicy(options, () => 0);

    expect(atMost.delayMs(attempt)).toBe(ceiling);
    expect(atLeast.delayMs(attempt)).toBe(ceiling / 2);
  });

  it('jitters between half the ceiling and the ceiling', () => {
    const sut = new RetryPolicy(options, () => 0.5);
    expect(sut.delayMs(3)).toBe(300);
  });

  it('allows maxAttempts attempts in all, the first included', () => {
    const sut = new RetryPolicy(options);
    expect([1, 2, 3, 4].map((made) => sut.canRetry(made))).toEqual([true, true, true, false]);
  });

  it.each([
    [{ initialMs: 0, maxMs: 10, maxAttempts: 3 }],
    [{ initialMs: 100, maxMs: 10, maxAttempts: 3 }],
    [{ initialMs: 10, maxMs: 100, maxAttempts: 0 }],
    [{ initialMs: 10, maxMs: 100, maxAttempts: 1.5 }],
  ])('refuses nonsensical options %j', (bad) => {
    expect(() => new RetryPolicy(bad)).toThrow(MessagingError);
  });
});
