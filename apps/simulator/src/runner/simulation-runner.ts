import type { Action } from '../scenario/actions';

/** Who performs an action: the drivers, or a fake in a spec. */
export interface ActionPerformer {
  /** Performs `action` at real time `now`; resolves when its answer is in (events: once queued). */
  perform(action: Action, now: Date): Promise<void>;
  /** Sends anything queued and waits for every request still out. */
  drain(): Promise<void>;
}

/** Real time, a port so that a spec can run a scenario without waiting. */
export interface RealTime {
  now(): number;
  /** Waits `ms`, or less when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemRealTime: RealTime = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
};

/** A source of actions in time order: the scenario. */
export interface ActionSource {
  next(): Action;
  peekTime(): number;
}

export interface RunnerOptions {
  /** Simulated seconds per real second. */
  speed: number;
  /** Scenario time the source starts at. */
  startAt: number;
  /** Scenario time to stop at; none runs until stopped. */
  endAt?: number;
  /** Actions performed at once; beyond it the runner waits (and falls behind, which `lagMs` shows). */
  maxInFlight: number;
}

export interface RunnerStatus {
  readonly running: boolean;
  /** Scenario time of the last action performed. */
  readonly scenarioTime: number;
  /** How far behind its schedule the runner performs actions, in real milliseconds. */
  readonly lagMs: number;
  readonly performed: number;
  readonly inFlight: number;
}

/**
 * Plays a scenario in real time, compressed by `speed`: the action at scenario time t is performed at
 * `start + (t − startAt) / speed`. At most `maxInFlight` actions are out at once. `stop()` ends the loop, then
 * drains: requests still out get their answer and queued events are sent, so nothing is cut off mid-flight.
 */
export class SimulationRunner {
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private scenarioTime: number;
  private lagMs = 0;
  private performed = 0;
  private running = false;
  private finished: Promise<void> | undefined;

  constructor(
    private readonly source: ActionSource,
    private readonly performer: ActionPerformer,
    private readonly options: RunnerOptions,
    private readonly time: RealTime = systemRealTime,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    if (!(options.speed > 0)) throw new Error('speed must be positive');
    this.scenarioTime = options.startAt;
  }

  /** Starts the loop; resolves once it ended (end of the scenario or `stop()`) and drained. */
  run(): Promise<void> {
    this.finished ??= this.loop();
    return this.finished;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await (this.finished ?? Promise.resolve());
  }

  status(): RunnerStatus {
    return {
      running: this.running,
      scenarioTime: this.scenarioTime,
      lagMs: this.lagMs,
      performed: this.performed,
      inFlight: this.inFlight.size,
    };
  }

  private async loop(): Promise<void> {
    this.running = true;
    const { speed, startAt, endAt, maxInFlight } = this.options;
    const realStart = this.time.now();
    const due = (t: number) => realStart + (t - startAt) / speed;
    const signal = this.abort.signal;
    try {
      while (!signal.aborted) {
        if (endAt !== undefined && this.source.peekTime() >= endAt) break;
        const action = this.source.next();
        if (endAt !== undefined && action.at >= endAt) break;
        for (let wait = due(action.at) - this.time.now(); wait > 0 && !signal.aborted;) {
          await this.time.sleep(Math.min(wait, 1_000), signal);
          wait = due(action.at) - this.time.now();
        }
        while (this.inFlight.size >= maxInFlight && !signal.aborted) await Promise.race(this.inFlight);
        if (signal.aborted) break;
        const now = this.time.now();
        this.lagMs = Math.max(0, now - due(action.at));
        this.scenarioTime = action.at;
        this.performed++;
        const performing = this.performer
          .perform(action, new Date(now))
          .catch(this.onError)
          .finally(() => this.inFlight.delete(performing));
        this.inFlight.add(performing);
      }
    } finally {
      await Promise.allSettled([...this.inFlight]);
      await this.performer.drain().catch(this.onError);
      this.running = false;
    }
  }
}
