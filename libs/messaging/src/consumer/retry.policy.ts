import { MessagingError } from '../messaging.errors';

/** Backoff for transient failures. */
export interface RetryOptions {
  /** Delay ceiling before the first retry. */
  initialMs: number;
  /** Largest delay ceiling. */
  maxMs: number;
  /** Attempts in all, the first one included. */
  maxAttempts: number;
}

/**
 * Exponential backoff with "equal jitter" (half the ceiling fixed, half random), so consumers of several
 * partitions failing on the same outage do not retry in lockstep, yet never retry with zero delay.
 */
export class RetryPolicy {
  constructor(
    readonly options: RetryOptions,
    private readonly random: () => number = Math.random,
  ) {
    const { initialMs, maxMs, maxAttempts } = options;
    if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1 && initialMs > 0 && maxMs >= initialMs)) {
      throw new MessagingError(
        'MESSAGING.INVALID_RETRY_OPTIONS',
        `retry needs maxAttempts ≥ 1 and 0 < initialMs ≤ maxMs, got ${JSON.stringify(options)}`,
      );
    }
  }

  /** Whether another attempt may follow `attemptsMade` failed ones. */
  canRetry(attemptsMade: number): boolean {
    return attemptsMade < this.options.maxAttempts;
  }

  /** Delay before the retry that follows failed attempt number `attempt` (1-based). */
  delayMs(attempt: number): number {
    const ceiling = Math.min(this.options.maxMs, this.options.initialMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }
}
