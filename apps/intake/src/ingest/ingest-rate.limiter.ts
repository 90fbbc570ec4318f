/** The answer of {@link IngestRateLimiter.take}. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A token bucket per API key: `burst` requests at once, refilled at `perSecond`. In memory, per instance: with N
 * replicas behind a balancer a key gets up to N times the limit, which is acceptable for protecting the broker
 * from one runaway integrator (the purpose), and needs no shared store on the hot path.
 */
export class IngestRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  /** `now` is a monotonic clock in milliseconds, injectable so specs need not wait. */
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token from `key`'s bucket, or says how long until one is available. */
  take(key: string): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.perSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: (1 - bucket.tokens) / this.perSecond };
  }
}
