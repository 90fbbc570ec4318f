import {
  createEvent,
  type EventDataMap,
  type EventType,
  EventTypes,
  type IocEvent,
  kpiSubject,
  submissionSubject,
  topicOf,
} from '@ioc/contracts';
import type { EventProducer, TopicNames } from '@ioc/messaging';
import type { Action, EventPath } from '../scenario/actions';
import type { LoggedEvent, SentLog } from './sent-log';
import { type Outcome, outcomeOf, type Tally } from './tally';

/** Largest batch intake's ingest takes by default (`INTAKE_INGEST_MAX_BATCH_EVENTS`). */
const MAX_BATCH = 500;

export interface EventsDriverOptions {
  /** The producer the integrator publishes with, and this environment's topic names. */
  producer: Pick<EventProducer, 'sendEvents'>;
  topics: TopicNames;
  intakeUrl: string;
  /** Intake's integrator key (scoped to the inbound topics); without one, HTTP events are skipped. */
  intakeApiKey?: string;
  /** The city's code: the dimension of city-wide KPI observations. */
  cityCode: string;
  /** Prefix of every event id: a run's ids differ from another run's, so the consumers do not take them for repeats. */
  runId: string;
  tally: Tally;
  /** Where each batch is written before it goes out and its outcome after (`SIMULATOR_SENT_LOG`). */
  sentLog?: SentLog;
  /** How long events wait to be sent together. */
  flushAfterMs?: number;
  timeoutMs?: number;
}

/**
 * The integrators: the camera AI vendor (detections, heartbeats), the traffic sensor network, the other report
 * channels (hotline, Zalo, national portal) and the public-service portal (KPI figures). Each event is a CloudEvent
 * stamped with the moment it is sent, then goes by the path the scenario chose: intake's HTTP ingest (batch mode,
 * API key) or straight onto the inbound Kafka topic (binary mode, keyed by subject). Events are sent in batches
 * gathered for at most `flushAfterMs`, as an integrator's client would.
 */
export class EventsDriver {
  private serial = 0;
  private readonly pending: Record<EventPath, IocEvent[]> = { http: [], kafka: [] };
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: EventsDriverOptions) {}

  /** Queues the events of `action` (a detection, a heartbeat tick, a traffic tick, a submission, a KPI figure). */
  add(action: Action, now: Date): void {
    const events = this.eventsOf(action, now);
    if (events.length === 0 || !('via' in action || action.kind === 'report.channel')) return;
    const via: EventPath =
      'via' in action && (action.via === 'http' || action.via === 'kafka') ? action.via : 'kafka';
    this.pending[via].push(...events);
    if (this.pending[via].length >= MAX_BATCH) this.flush(via);
    else this.timer ??= setTimeout(() => this.flushAll(), this.options.flushAfterMs ?? 100);
  }

  /** Sends what is queued and waits for every request still out. */
  async drain(): Promise<void> {
    this.flushAll();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  private flushAll(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush('http');
    this.flush('kafka');
  }

  private flush(via: EventPath): void {
    while (this.pending[via].length > 0) {
      const batch = this.pending[via].splice(0, MAX_BATCH);
      const sending = (via === 'http' ? this.postToIntake(batch) : this.publish(batch)).finally(() =>
        this.inFlight.delete(sending),
      );
      this.inFlight.add(sending);
    }
  }

  private async publish(batch: IocEvent[]): Promise<void> {
    const logged = this.options.sentLog?.sent('kafka', batch.map(loggedEvent));
    try {
      await this.options.producer.sendEvents(
        batch.map((event) => ({ topic: this.options.topics.of(topicOf(event.type as EventType)), event })),
      );
      this.options.tally.record('kafka', 'accepted', batch.length);
      if (logged !== undefined) this.options.sentLog?.outcome(logged, 'kafka', 'accepted');
    } catch {
      this.options.tally.record('kafka', 'failed', batch.length);
      if (logged !== undefined) this.options.sentLog?.outcome(logged, 'kafka', 'failed');
    }
  }

  private async postToIntake(batch: IocEvent[]): Promise<void> {
    const key = this.options.intakeApiKey;
    if (key === undefined) return this.options.tally.record('intake.http', 'skipped', batch.length);
    const logged = this.options.sentLog?.sent('intake.http', batch.map(loggedEvent));
    const answered = (outcome: Outcome) => {
      this.options.tally.record('intake.http', outcome, batch.length);
      if (logged !== undefined) this.options.sentLog?.outcome(logged, 'intake.http', outcome);
    };
    try {
      const response = await fetch(new URL('/ingest/events', this.options.intakeUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/cloudevents-batch+json',
          'x-api-key': key,
          'user-agent': 'ioc-simulator',
        },
        body: JSON.stringify(batch),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      answered(outcomeOf(response.status));
    } catch {
      answered('failed');
    }
  }

  private eventsOf(action: Action, now: Date): IocEvent[] {
    const at = now.toISOString();
    switch (action.kind) {
      case 'camera.detection':
        return [
          this.event(EventTypes.cameraDetection, '/simulator/camera-ai', action.cameraId, now, {
            cameraId: action.cameraId,
            class: action.class,
            confidence: action.confidence,
            observedAt: at,
          }),
        ];
      case 'camera.heartbeats':
        return action.beats.map((beat) =>
          this.event(EventTypes.cameraHeartbeat, '/simulator/camera-ai', beat.cameraId, now, {
            cameraId: beat.cameraId,
            observedAt: at,
            status: beat.status,
            fps: beat.fps,
          }),
        );
      case 'traffic.observations':
        return action.observations.map((observation) =>
          this.event(
            EventTypes.trafficObservation,
            '/simulator/traffic-sensors',
            observation.segmentId,
            now,
            {
              ...observation,
              observedAt: at,
            },
          ),
        );
      case 'report.channel':
        return [
          this.event(
            EventTypes.reportSubmission,
            `/simulator/${action.channel}`,
            submissionSubject(action.channel, action.externalId),
            now,
            {
              channel: action.channel,
              externalId: action.externalId,
              categoryCode: action.categoryCode,
              description: action.description,
              location: action.location,
              ...(action.addressText === undefined ? {} : { addressText: action.addressText }),
              occurredAt: at,
              reporter: action.reporter,
              language: 'vi',
            },
          ),
        ];
      case 'kpi.observation': {
        const dimension = { kind: 'city' as const, code: this.options.cityCode };
        return [
          this.event(
            EventTypes.kpiObservation,
            `/simulator/${action.source}`,
            kpiSubject(action.kpiCode, dimension),
            now,
            {
              kpiCode: action.kpiCode,
              dimension,
              value: action.value,
              ...(action.unit === undefined ? {} : { unit: action.unit }),
              observedAt: at,
              source: action.source,
            },
          ),
        ];
      }
      default:
        return [];
    }
  }

  private event<K extends EventType>(
    type: K,
    source: string,
    subject: string,
    time: Date,
    data: EventDataMap[K],
  ): IocEvent {
    return createEvent(type, { id: `${this.options.runId}-${++this.serial}`, source, subject, time, data });
  }
}

function loggedEvent(event: IocEvent): LoggedEvent {
  return { id: event.id, type: event.type, subject: event.subject };
}
