/**
 * Runs `task` every `intervalMs` (and once at start when `runAtStart`), never two runs at once, and waits for
 * the run in flight on stop, so that shutdown does not close the database under it. A failure is reported to
 * `onError` and the next tick tries again: the project's periodic work (sweeps, pruning) is idempotent. The
 * timer does not keep the process alive.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
    private readonly options: { runAtStart?: boolean } = {},
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
    if (this.options.runAtStart) this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.task()
      .then(() => undefined, this.onError)
      .finally(() => {
        this.running = undefined;
      });
  }
}
