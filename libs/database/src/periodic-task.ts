import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';

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

/**
 * A service's periodic work as a Nest provider (sweeps, coalesced publishing): started once the application has
 * bootstrapped, on every instance (the work makes that safe, e.g. with `SKIP LOCKED` claims), and stopped before
 * shutdown, so the run in flight finishes its transaction before DatabaseModule closes the data source. A failed run
 * is logged and retried at the next tick.
 */
export abstract class PeriodicJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly task: PeriodicTask;

  /**
   * @param what names the work in the failure log line, e.g. `SLA sweep`
   * @param enabled false leaves the job stopped (a setting that turns it off)
   */
  protected constructor(
    intervalMs: number,
    what: string,
    private readonly enabled = true,
  ) {
    this.task = new PeriodicTask(
      intervalMs,
      () => this.run(),
      (error) => this.logger.warn({ msg: `${what} failed; retrying at the next tick`, err: error }),
    );
  }

  /** One run of the work. */
  protected abstract run(): Promise<void>;

  onApplicationBootstrap(): void {
    if (this.enabled) this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
