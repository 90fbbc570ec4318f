/** Options of a {@link Coalescer}. */
export interface CoalescerOptions<T, R> {
  /** Does the work of several items at once; answers one result per item, in their order. */
  run(items: readonly T[]): Promise<R[]>;
  /** An item's weight (records, messages); a merged run weighs at most `maxWeight`, a heavier item runs alone. */
  weight(item: T): number;
  maxWeight: number;
  /** Runs at once. Default 1. */
  maxInFlight?: number;
  /**
   * After a run of several items failed: `true` runs each of them again alone, ahead of what waits, so that one
   * bad item does not fail its neighbours; `false` (the default) fails them all with the run's error.
   */
  retryAlone?(error: unknown): boolean;
}

interface Waiting<T, R> {
  item: T;
  /** Runs on its own: set after a merged run failed and `retryAlone` said so. */
  alone: boolean;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items submitted while `maxInFlight` runs are under way wait, and go together in the next run,
 * in arrival order, up to `maxWeight`. Under no load each item runs on its own at once; under load the runs
 * grow, so that a fixed cost per run (a produce request, a transaction and its statements) is shared.
 */
export class Coalescer<T, R> {
  private readonly waiting: Waiting<T, R>[] = [];
  private inFlight = 0;

  constructor(private readonly options: CoalescerOptions<T, R>) {}

  /** Resolves with the item's result once the run that carried it succeeded. */
  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, alone: false, resolve, reject });
      this.startRuns();
    });
  }

  private startRuns(): void {
    while (this.inFlight < (this.options.maxInFlight ?? 1) && this.waiting.length > 0) {
      const taken = this.nextRun();
      this.inFlight += 1;
      void this.execute(taken).finally(() => {
        this.inFlight -= 1;
        this.startRuns();
      });
    }
  }

  private async execute(taken: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.options.run(taken.map((w) => w.item));
      taken.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      if (taken.length > 1 && this.options.retryAlone?.(error)) {
        this.waiting.unshift(...taken.map((w) => ({ ...w, alone: true })));
      } else {
        for (const w of taken) w.reject(error);
      }
    }
  }

  /** The first waiting item, and those after it while they fit. */
  private nextRun(): Waiting<T, R>[] {
    const { weight, maxWeight } = this.options;
    const taken = [this.waiting.shift() as Waiting<T, R>];
    let total = weight(taken[0].item);
    while (!taken[0].alone && this.waiting.length > 0) {
      const next = this.waiting[0];
      if (next.alone || total + weight(next.item) > maxWeight) break;
      taken.push(next);
      total += weight(next.item);
      this.waiting.shift();
    }
    return taken;
  }
}
