import {
  LIVE_STREAM_TOPICS,
  LIVE_STREAMS,
  type LiveChange,
  type LiveResyncReason,
  type LiveStream,
  type LiveSubscribeAck,
  type LiveSubscription,
} from '@ioc/contracts';
import {
  KAFKA_CLIENT,
  KafkaReadiness,
  type LiveEvent,
  type LivePosition,
  type LiveReader,
  LiveReaderFactory,
  TopicNames,
} from '@ioc/messaging';
import { Clock } from '@ioc/platform';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { GatewayConfig } from '../config';
import type { LiveClient, SharedPush } from './live-client';
import { filterOf } from './live-filter';
import { liveMetrics } from './live-metrics';
import { LiveState } from './live-state';
import { type LogEntry, ReplayLog } from './replay-log';

const TRIM_INTERVAL_MS = 5_000;
/** How long a resume waits for this instance to read as far as a cursor another instance gave. */
const AHEAD_WAIT_MS = 10_000;
/** Events applied between two turns of the event loop, so that a large batch read does not hold up the sockets. */
const EVENTS_PER_TURN = 32;

/**
 * The gateway's one reader of the live topics and its fan-out: it reads every partition from its beginning
 * (no group shared with other instances, no inbox, no database), folds the events into the state a snapshot
 * shows, keeps those within the replay horizon, and every push interval hands the changes read since the last
 * push to the clients that may see them. A subscription first pushes what was read and not yet pushed, then
 * takes its snapshot or replay, in one turn of the event loop, so that the snapshot or replay and the live
 * changes after it never overlap or leave a gap (docs/architecture.md, "Live gateway").
 */
@Injectable()
export class LiveHub implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveHub.name);
  private readonly metrics = liveMetrics();
  private readonly state = new LiveState();
  private readonly log: ReplayLog;
  private readonly clients = new Set<LiveClient>();
  private readonly streamOfTopic = new Map<string, LiveStream>();
  /** Per topic and partition, the offset the topics had reached when the gateway started: caught up there. */
  private catchUpTargets = new Map<string, number>();
  private caughtUp = false;
  private readonly caughtUpWaiters: (() => void)[] = [];
  private readonly positionWaiters = new Set<() => void>();
  private reader: LiveReader | undefined;
  private trimTimer: NodeJS.Timeout | undefined;
  /** Changes read and not yet pushed, in the order read; pushed when `pushTimer` fires. */
  private unpushed: LogEntry[] = [];
  private pushTimer: NodeJS.Timeout | undefined;
  private readonly pushIntervalMs: number;

  constructor(
    private readonly readers: LiveReaderFactory,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly clock: Clock,
    readiness: KafkaReadiness,
    config: GatewayConfig,
  ) {
    this.log = new ReplayLog(config.GATEWAY_REPLAY_HORIZON);
    this.pushIntervalMs = config.GATEWAY_PUSH_INTERVAL;
    for (const stream of LIVE_STREAMS) this.streamOfTopic.set(topics.of(LIVE_STREAM_TOPICS[stream]), stream);
    readiness.watch({
      healthProblems: () => (this.caughtUp ? [] : ['the live gateway is still reading the live topics']),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.startPositions();
    this.reader = this.readers.create({
      name: 'gateway.live',
      topics: LIVE_STREAMS.map((stream) => LIVE_STREAM_TOPICS[stream]),
      fromBeginning: true,
      onEvents: (events) => this.onEvents(events),
      onBatchEnd: (end) => this.onBatchEnd(end),
    });
    await this.reader.start();
    this.trimTimer = setInterval(() => this.log.trim(this.clock.now().getTime()), TRIM_INTERVAL_MS);
    this.trimTimer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.trimTimer);
    clearTimeout(this.pushTimer);
    for (const client of this.clients) client.socket.disconnect(true);
  }

  /** Resolves once the gateway has read the live topics as far as they went when it started. */
  whenCaughtUp(): Promise<void> {
    if (this.caughtUp) return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  connect(client: LiveClient): void {
    this.clients.add(client);
    this.metrics.clients.inc({ audience: client.audience.kind });
  }

  disconnect(client: LiveClient): void {
    if (this.clients.delete(client)) this.metrics.clients.dec({ audience: client.audience.kind });
  }

  /**
   * Starts a client's stream: with `resumeFrom`, what it missed since (when the log still holds it), else a
   * snapshot; then live changes. Pushing what was read and not yet pushed, the client's registration for live
   * changes and the snapshot or replay happen in one turn of the event loop, between two batches of the reader.
   */
  async subscribe(client: LiveClient, subscription: LiveSubscription): Promise<LiveSubscribeAck> {
    await this.whenCaughtUp();
    let resync: LiveResyncReason | undefined;
    if (subscription.resumeFrom !== undefined) {
      let resume = this.log.since(subscription.resumeFrom);
      const deadline = Date.now() + AHEAD_WAIT_MS;
      while (!resume.ok && resume.reason === 'ahead' && Date.now() < deadline) {
        await this.nextPositions(deadline - Date.now());
        resume = this.log.since(subscription.resumeFrom);
      }
      if (!client.socket.connected)
        return { ok: false, error: { code: 'LIVE.DISCONNECTED', message: 'Gone' } };
      this.push();
      if (resume.ok) {
        client.subscribe(filterOf(subscription));
        client.replay(resume.entries);
        this.metrics.resumes.inc({ outcome: 'resumed' });
        return { ok: true, start: 'resumed' };
      }
      resync = resume.reason === 'ahead' ? 'invalid-cursor' : resume.reason;
    }
    this.push();
    client.subscribe(filterOf(subscription));
    const content = this.state.snapshot(client.visible);
    client.snapshot({ cursor: this.log.cursor(), takenAt: this.clock.now().toISOString(), ...content });
    this.metrics.resumes.inc({ outcome: resync ?? 'snapshot' });
    return { ok: true, start: 'snapshot', ...(resync === undefined ? {} : { resync }) };
  }

  private async startPositions(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const stream of LIVE_STREAMS) {
        const topic = this.topics.of(LIVE_STREAM_TOPICS[stream]);
        for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
          this.log.startPartition(stream, partition, Number(low));
          if (Number(high) > Number(low)) this.catchUpTargets.set(`${topic}:${partition}`, Number(high));
        }
      }
    } finally {
      await admin.disconnect();
    }
    this.checkCaughtUp();
  }

  private async onEvents(events: readonly LiveEvent[]): Promise<void> {
    const now = this.clock.now().getTime();
    let handled = 0;
    for (const live of events) {
      if (this.caughtUp && ++handled % EVENTS_PER_TURN === 0) await new Promise(setImmediate);
      const stream = this.streamOfTopic.get(live.topic);
      if (stream === undefined) continue;
      const routing = this.state.apply(stream, live.event);
      const offset = Number(live.offset);
      const { id, type, time, subject, data } = live.event;
      const entry: LogEntry = {
        stream,
        partition: live.partition,
        offset,
        timestamp: Number(live.timestamp),
        change: { stream, event: { id, type, time, subject, data } } as LiveChange,
        cursor: this.log.cursorAfter(stream, live.partition, offset),
        routing,
        ...(stream === 'kpi' ? { coalesceKey: subject } : {}),
        volatile: stream === 'traffic',
      };
      this.log.append(entry, now);
      if (!this.caughtUp) continue;
      this.unpushed.push(entry);
      this.pushTimer ??= setTimeout(() => this.push(), this.pushIntervalMs);
    }
  }

  /** Hands the changes read since the last push to every client, encoded once per filter. */
  private push(): void {
    clearTimeout(this.pushTimer);
    this.pushTimer = undefined;
    if (this.unpushed.length === 0) return;
    const entries = this.unpushed;
    this.unpushed = [];
    const shared = new Map<string, SharedPush>();
    for (const client of this.clients) client.push(entries, shared);
    const now = Date.now();
    for (const { stream, change } of entries)
      this.metrics.delay.observe({ stream }, Math.max(0, now - Date.parse(change.event.time)) / 1000);
  }

  private onBatchEnd(end: LivePosition): void {
    const stream = this.streamOfTopic.get(end.topic);
    if (stream !== undefined) this.log.advance(stream, end.partition, Number(end.offset) + 1);
    if (!this.caughtUp) {
      const key = `${end.topic}:${end.partition}`;
      const target = this.catchUpTargets.get(key);
      if (target !== undefined && Number(end.offset) + 1 >= target) this.catchUpTargets.delete(key);
      this.checkCaughtUp();
    }
    for (const waiter of [...this.positionWaiters]) waiter();
  }

  private checkCaughtUp(): void {
    if (this.caughtUp || this.catchUpTargets.size > 0) return;
    this.caughtUp = true;
    this.logger.log(`caught up with the live topics; ${this.log.size} changes within the replay horizon`);
    for (const resolve of this.caughtUpWaiters.splice(0)) resolve();
  }

  /** Resolves after the next batch the reader hands on, or after `timeoutMs`. */
  private nextPositions(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.positionWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      this.positionWaiters.add(done);
    });
  }
}
