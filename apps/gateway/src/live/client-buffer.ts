/** How an offered message was handled by a {@link ClientBuffer}. */
export type OfferOutcome =
  /** Nothing waits and the socket keeps up: write it now. */
  | 'send'
  /** Waits behind others until the socket drains. */
  | 'queued'
  /** A volatile message (traffic) the client is too busy for: dropped, the next change supersedes it. */
  | 'dropped'
  /** Replaced a waiting message of the same key (a KPI bucket): only the latest value is worth sending. */
  | 'coalesced'
  /** Too much waits: the buffer was emptied and the client must start again from a snapshot. */
  | 'overflow';

export interface ClientBufferLimits {
  /** Messages that may wait in the buffer (beyond a replay's own) before the client is too slow. */
  maxPending: number;
  /** Messages the socket may hold unsent before the next ones wait here instead. */
  maxInFlight: number;
}

/**
 * One client's outgoing messages when its socket does not keep up: bounded, so a slow client costs the gateway
 * a fixed amount of memory and never delays the others. Messages keep their order; coalescing moves the latest
 * value of a key to the end, so the cursors a client receives only ever grow.
 */
export class ClientBuffer<T> {
  private pending: { item: T; key?: string }[] = [];
  /** Messages of a replay still waiting: they may exceed `maxPending` (a replay is bounded by the horizon). */
  private replayCredit = 0;

  constructor(private readonly limits: ClientBufferLimits) {}

  get size(): number {
    return this.pending.length;
  }

  /** Whether nothing waits and the socket keeps up: what comes next can be written at once. */
  keepsUp(inFlight: number): boolean {
    return this.pending.length === 0 && inFlight < this.limits.maxInFlight;
  }

  /** `inFlight`: the messages written to the socket but not sent yet. */
  offer(item: T, inFlight: number, options: { key?: string; volatile?: boolean } = {}): OfferOutcome {
    if (this.keepsUp(inFlight)) return 'send';
    if (options.volatile === true) return 'dropped';
    let outcome: OfferOutcome = 'queued';
    if (options.key !== undefined) {
      const index = this.pending.findIndex((waiting) => waiting.key === options.key);
      if (index >= 0) {
        this.pending.splice(index, 1);
        outcome = 'coalesced';
      }
    }
    this.pending.push({ item, ...(options.key === undefined ? {} : { key: options.key }) });
    if (this.pending.length > this.limits.maxPending + this.replayCredit) {
      this.clear();
      return 'overflow';
    }
    return outcome;
  }

  /** Queues a replay's messages behind what waits, whatever their number. */
  queueReplay(items: readonly T[]): void {
    for (const item of items) this.pending.push({ item });
    this.replayCredit += items.length;
  }

  /** The messages to write now that the socket holds `inFlight` unsent, oldest first. */
  take(inFlight: number): T[] {
    const room = Math.max(0, this.limits.maxInFlight - inFlight);
    if (room === 0 || this.pending.length === 0) return [];
    const taken = this.pending.splice(0, room);
    this.replayCredit = Math.max(0, this.replayCredit - taken.length);
    return taken.map((waiting) => waiting.item);
  }

  clear(): void {
    this.pending = [];
    this.replayCredit = 0;
  }
}

/**
 * A token bucket for a client's own messages: `ratePerSecond` on average, bursts of twice that.
 * `now` is a monotonic clock in milliseconds.
 */
export class RateLimiter {
  private tokens: number;
  private at: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = ratePerSecond * 2;
    this.at = now();
  }

  /** Whether one more message is allowed now (and counts it). */
  allow(): boolean {
    const now = this.now();
    this.tokens = Math.min(
      this.ratePerSecond * 2,
      this.tokens + ((now - this.at) / 1000) * this.ratePerSecond,
    );
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
