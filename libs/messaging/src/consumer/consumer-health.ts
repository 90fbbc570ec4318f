/** When a consumer stops being ready. */
export interface ConsumerHealthOptions {
  /** A chunk retried for a transient fault for longer than this makes the consumer not ready. Default 30 s. */
  retryingLimitMs?: number;
  /**
   * Messages waiting on a partition with no offset committed for longer than this makes the consumer not
   * ready, whatever holds it (a hung handler, a restart loop). Default 120 s.
   */
  stalledLimitMs?: number;
}

/** A partition's progress, as {@link ConsumerHealth} sees it. */
export interface PartitionProgress {
  topic: string;
  partition: number;
  /** Seconds since the last committed progress while messages were waiting; 0 when caught up. */
  secondsSinceProgress: number;
}

interface PartitionState {
  topic: string;
  partition: number;
  /** Since when messages have been waiting without an offset commit (the last commit, or the first fetch). */
  waitingSince: number | undefined;
  /** Since when the chunk in hand has been failing transiently. */
  retryingSince: number | undefined;
  attempts: number;
  lastError: string;
}

type Lifecycle = 'idle' | 'running' | 'stopped' | 'crashed';

const DEFAULTS: Required<ConsumerHealthOptions> = { retryingLimitMs: 30_000, stalledLimitMs: 120_000 };

/**
 * What a consumer's readiness and its progress gauge are made of, fed by the runner: whether it runs,
 * crashed or was stopped; per assigned partition, whether messages wait and since when nothing was
 * committed, and whether the chunk in hand is retrying a transient fault. A partition's state survives a
 * kafkajs restart (the same member usually gets it back) and goes when a rebalance assigns it elsewhere.
 */
export class ConsumerHealth {
  private readonly limits: Required<ConsumerHealthOptions>;
  private readonly partitions = new Map<string, PartitionState>();
  private lifecycle: Lifecycle = 'idle';
  private crashError = '';

  constructor(
    readonly consumer: string,
    readonly group: string,
    options: ConsumerHealthOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULTS, ...options };
  }

  running(): void {
    this.lifecycle = 'running';
  }

  stopped(): void {
    this.lifecycle = 'stopped';
  }

  /** kafkajs gave up on the consumer without restarting it. */
  crashed(error: string): void {
    this.lifecycle = 'crashed';
    this.crashError = error;
  }

  /** The group assigned these partitions to this member; others' state is dropped. */
  assigned(assignment: Readonly<Record<string, readonly number[]>>): void {
    for (const [key, state] of this.partitions) {
      if (!assignment[state.topic]?.includes(state.partition)) this.partitions.delete(key);
    }
  }

  /** A batch was fetched: messages wait from now on, unless they already did. */
  fetched(topic: string, partition: number): void {
    const state = this.state(topic, partition);
    state.waitingSince ??= this.now();
  }

  /** A transient failure of the chunk in hand; it will be retried. */
  retrying(topic: string, partition: number, attempt: number, error: string): void {
    const state = this.state(topic, partition);
    state.retryingSince ??= this.now();
    state.attempts = attempt;
    state.lastError = error;
  }

  /** An offset was committed; `caughtUp` when nothing is known to wait behind it. */
  committed(topic: string, partition: number, caughtUp: boolean): void {
    const state = this.state(topic, partition);
    state.retryingSince = undefined;
    state.attempts = 0;
    state.waitingSince = caughtUp ? undefined : this.now();
  }

  /** What makes the consumer not ready, one sentence each; empty when ready. */
  problems(): string[] {
    const now = this.now();
    if (this.lifecycle === 'crashed') return [`consumer ${this.consumer} crashed (${this.crashError})`];
    if (this.lifecycle === 'stopped') return [`consumer ${this.consumer} is stopped`];
    const problems: string[] = [];
    for (const state of this.partitions.values()) {
      const where = `${state.topic}[${state.partition}]`;
      if (state.retryingSince !== undefined && now - state.retryingSince > this.limits.retryingLimitMs) {
        problems.push(
          `consumer ${this.consumer} retrying a transient failure on ${where} for ${seconds(now - state.retryingSince)} s ` +
            `(attempt ${state.attempts}, ${state.lastError})`,
        );
      } else if (state.waitingSince !== undefined && now - state.waitingSince > this.limits.stalledLimitMs) {
        problems.push(
          `consumer ${this.consumer} made no progress on ${where} for ${seconds(now - state.waitingSince)} s with messages waiting`,
        );
      }
    }
    return problems;
  }

  /** Per assigned partition, the seconds since its last committed progress (0 when caught up). */
  progress(): PartitionProgress[] {
    const now = this.now();
    return [...this.partitions.values()].map(({ topic, partition, waitingSince }) => ({
      topic,
      partition,
      secondsSinceProgress: waitingSince === undefined ? 0 : (now - waitingSince) / 1000,
    }));
  }

  private state(topic: string, partition: number): PartitionState {
    const key = `${topic}:${partition}`;
    let state = this.partitions.get(key);
    if (!state) {
      state = {
        topic,
        partition,
        waitingSince: undefined,
        retryingSince: undefined,
        attempts: 0,
        lastError: '',
      };
      this.partitions.set(key, state);
    }
    return state;
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
