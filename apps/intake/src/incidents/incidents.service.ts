import { canAccessAgency, type Principal } from '@ioc/auth';
import type { DetectionClass, EventDataMap, IncidentStatus, IncidentSource, IocEvent } from '@ioc/contracts';
import { EventTypes, Topics } from '@ioc/contracts';
import { Outbox, TopicNames } from '@ioc/messaging';
import { Injectable } from '@nestjs/common';
import { type Tx, UnitOfWork } from '@ioc/database';
import { IntakeConfig } from '../config';
import { FutureEventTimeError, UnknownCameraError } from '../reference/reference-data.errors';
import { ReferenceDataRepository } from '../reference/reference-data.repository';
import { Clock } from '@ioc/platform';
import { IdGenerator } from '../common/id-generator';
import { correlateDetections, type Detection, type IncidentPlace, openIncident } from './correlation';
import { type Incident, incidentKey } from './incident';
import type { IncidentCursor } from './incident-cursor';
import { incidentEvent } from './incident-events';
import { IncidentNotFoundError, IncidentTransitionError, UnknownAgencyError } from './incidents.errors';
import { IncidentsRepository } from './incidents.repository';
import { SeverityRules } from './severity';

/** A detection event as the consumer hands it over. */
export interface DetectionInput {
  eventId: string;
  data: EventDataMap[typeof EventTypes.cameraDetection];
}

/** What a road segment's observations mean for its jam incident, in event-time order. */
export type JamSignal = { kind: 'jammed'; at: Date } | { kind: 'ended'; at: Date };

/** What one sweep did. */
export interface IncidentSweepResult {
  cleared: number;
  updated: number;
}

const SWEEP_BATCH = 500;

/**
 * The incident rules: correlation of detections, jam incidents from traffic, the rate-limited `updated`,
 * quiet-period clearing and the operator and agency actions. Every change and its event commit in one
 * transaction (docs/architecture.md, "Nothing lost").
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly registry: ReferenceDataRepository,
    private readonly outbox: Outbox,
    private readonly topics: TopicNames,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly config: IntakeConfig,
    private readonly severity: SeverityRules,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * Applies a chunk of detections set-wise in the consumer's transaction: one registry read, one lock of
   * the live incidents, one write of incidents, one of tallies, one outbox insert.
   * @throws UnknownCameraError / FutureEventTimeError (poison: the runner isolates and dead-letters it)
   */
  async applyDetections(tx: Tx, inputs: readonly DetectionInput[]): Promise<void> {
    const now = this.clock.now();
    const latestAllowed = now.getTime() + this.config.INTAKE_EVENT_MAX_FUTURE_SKEW;
    const cameras = await this.registry.findCameras(tx, [...new Set(inputs.map((i) => i.data.cameraId))]);
    const detections: Detection[] = inputs.map(({ eventId, data }) => {
      const camera = cameras.get(data.cameraId);
      if (!camera) throw new UnknownCameraError(data.cameraId);
      const observedAt = new Date(data.observedAt);
      if (observedAt.getTime() > latestAllowed) throw new FutureEventTimeError(eventId);
      return {
        cameraId: data.cameraId,
        class: data.class,
        confidence: data.confidence,
        observedAt,
        place: camera,
      };
    });
    const keys = uniqueKeys(detections.map((d) => ({ subjectId: d.cameraId, class: d.class })));
    const live = await this.liveByKey(tx, 'camera', keys);
    const { touched, tallies } = correlateDetections(
      live,
      detections,
      {
        windowMs: this.config.INTAKE_INCIDENT_CORRELATION_WINDOW,
        confidenceFloor: this.config.INTAKE_DETECTION_CONFIDENCE_FLOOR,
        lateGraceMs: this.config.INTAKE_EVENT_LATE_GRACE,
      },
      now,
      () => this.ids.next(),
    );
    await this.persist(
      tx,
      touched.map((t) => ({ incident: t.incident, isNew: t.isNew, changed: t.merged > 0 })),
      now,
    );
    await this.incidents.addTallies(tx, tallies);
  }

  /**
   * Opens, merges into or clears the jam incident of each segment (a jam longer than the
   * configured time opens an incident), in the traffic consumer's transaction.
   */
  async applyJamSignals(
    tx: Tx,
    signals: ReadonlyMap<string, { place: IncidentPlace; signals: readonly JamSignal[] }>,
  ): Promise<void> {
    if (signals.size === 0) return;
    const now = this.clock.now();
    const cls: DetectionClass = 'congestion';
    const live = await this.liveByKey(
      tx,
      'traffic',
      [...signals.keys()].map((subjectId) => ({ subjectId, class: cls })),
    );
    const touched = new Map<string, { incident: Incident; isNew: boolean; changed: boolean }>();
    for (const [segmentId, { place, signals: list }] of signals) {
      const key = incidentKey('traffic', segmentId, cls);
      for (const signal of list) {
        const current = live.get(key);
        if (signal.kind === 'ended') {
          if (!current) continue;
          current.status = 'cleared';
          current.clearedReason = 'resolved';
          current.clearedAt = signal.at;
          current.updatePending = false;
          live.delete(key);
          touched.set(current.id, {
            incident: current,
            isNew: touched.get(current.id)?.isNew ?? false,
            changed: false,
          });
        } else if (current) {
          current.count += 1;
          if (signal.at.getTime() > current.lastSeenAt.getTime()) current.lastSeenAt = signal.at;
          const entry = touched.get(current.id);
          touched.set(current.id, { incident: current, isNew: entry?.isNew ?? false, changed: true });
        } else {
          const opened = openIncident(
            this.ids.next(),
            'traffic',
            segmentId,
            cls,
            place,
            signal.at,
            now,
            null,
          );
          live.set(key, opened);
          touched.set(opened.id, { incident: opened, isNew: true, changed: true });
        }
      }
    }
    await this.persist(tx, [...touched.values()], now);
  }

  async list(
    principal: Principal,
    query: {
      status?: IncidentStatus;
      source?: IncidentSource;
      limit: number;
      after?: IncidentCursor;
    },
  ): Promise<Incident[]> {
    // An agency sees the incidents assigned to it only; operators see all.
    const agencyId = principal.roles.includes('operator') ? undefined : (principal.agencyId ?? '');
    return this.unitOfWork.run((tx) => this.incidents.list(tx, { ...query, agencyId }));
  }

  async get(principal: Principal, id: string): Promise<Incident> {
    return this.unitOfWork.run(async (tx) => this.visible(tx, principal, id, false));
  }

  /** Operator, or the agency it is assigned to: open or assigned → acknowledged. */
  async acknowledge(principal: Principal, id: string): Promise<Incident> {
    return this.act(principal, id, 'acknowledged', (incident, now) => {
      if (incident.status !== 'open' && incident.status !== 'assigned') {
        throw new IncidentTransitionError('acknowledged', incident.status);
      }
      incident.status = 'acknowledged';
      incident.acknowledgedAt = now;
    });
  }

  /**
   * Operators only (the controller checks the role): any live incident → assigned to `agencyId`.
   * @throws UnknownAgencyError when the city has no such agency
   */
  async assign(principal: Principal, id: string, agencyId: string): Promise<Incident> {
    const known = await this.unitOfWork.run((tx) => this.registry.agencyExists(tx, agencyId));
    if (!known) throw new UnknownAgencyError();
    return this.act(principal, id, 'assigned', (incident) => {
      if (incident.status === 'cleared') throw new IncidentTransitionError('assigned', incident.status);
      incident.status = 'assigned';
      incident.agencyId = agencyId;
    });
  }

  /** Operator, or the agency it is assigned to: any live incident → cleared with the given reason. */
  async clear(principal: Principal, id: string, reason: 'resolved' | 'false-alarm'): Promise<Incident> {
    return this.act(principal, id, 'cleared', (incident, now) => {
      if (incident.status === 'cleared') throw new IncidentTransitionError('cleared', incident.status);
      incident.status = 'cleared';
      incident.clearedReason = reason;
      incident.clearedAt = now;
      incident.updatePending = false;
    });
  }

  /**
   * Clears incidents quiet for the quiet period (`expired`, at last seen + quiet period) and sends the
   * rate-limited `updated` of incidents with unannounced detections. Safe with several instances: rows
   * are claimed with SKIP LOCKED and re-checked under the lock.
   */
  async sweep(): Promise<IncidentSweepResult> {
    const now = this.clock.now();
    const quiet = this.config.INTAKE_INCIDENT_QUIET_PERIOD;
    const cleared = await this.unitOfWork.run(async (tx) => {
      const claimed = await this.incidents.claimQuiet(tx, new Date(now.getTime() - quiet), SWEEP_BATCH);
      for (const incident of claimed) {
        incident.status = 'cleared';
        incident.clearedReason = 'expired';
        incident.clearedAt = new Date(incident.lastSeenAt.getTime() + quiet);
        incident.updatePending = false;
        incident.lastEmittedAt = now;
      }
      await this.incidents.save(tx, claimed);
      await this.outbox.enqueue(
        tx,
        this.topics.of(Topics.incidentsEvents),
        claimed.map((i) => incidentEvent(this.ids.next(), 'cleared', i, i.clearedAt ?? now)),
      );
      return claimed.length;
    });
    const updated = await this.unitOfWork.run(async (tx) => {
      const claimed = await this.incidents.claimPendingUpdates(
        tx,
        new Date(now.getTime() - this.config.INTAKE_INCIDENT_UPDATE_INTERVAL),
        SWEEP_BATCH,
      );
      for (const incident of claimed) {
        incident.updatePending = false;
        incident.lastEmittedAt = now;
      }
      await this.incidents.save(tx, claimed);
      await this.outbox.enqueue(
        tx,
        this.topics.of(Topics.incidentsEvents),
        claimed.map((i) => incidentEvent(this.ids.next(), 'updated', i, now)),
      );
      return claimed.length;
    });
    return { cleared, updated };
  }

  private async act(
    principal: Principal,
    id: string,
    change: 'acknowledged' | 'assigned' | 'cleared',
    mutate: (incident: Incident, now: Date) => void,
  ): Promise<Incident> {
    return this.unitOfWork.run(async (tx) => {
      const incident = await this.visible(tx, principal, id, true);
      const now = this.clock.now();
      mutate(incident, now);
      incident.lastEmittedAt = now;
      await this.incidents.save(tx, [incident]);
      await this.outbox.enqueue(tx, this.topics.of(Topics.incidentsEvents), [
        incidentEvent(this.ids.next(), change, incident, now),
      ]);
      return incident;
    });
  }

  private async visible(tx: Tx, principal: Principal, id: string, lock: boolean): Promise<Incident> {
    const incident = await this.incidents.findById(tx, id, lock);
    if (!incident || !canAccessAgency(principal, incident.agencyId)) throw new IncidentNotFoundError(id);
    return incident;
  }

  private async liveByKey(
    tx: Tx,
    source: IncidentSource,
    keys: readonly { subjectId: string; class: string }[],
  ): Promise<Map<string, Incident>> {
    const rows = await this.incidents.lockLive(tx, source, keys);
    return new Map(rows.map((i) => [incidentKey(source, i.subjectId, i.class), i]));
  }

  /**
   * Writes what a chunk changed and the events announcing it: `opened` for new incidents, `cleared` for
   * ended ones, and `updated` at most once per INTAKE_INCIDENT_UPDATE_INTERVAL unless the severity changed; a
   * withheld update is marked pending for the sweeper.
   */
  private async persist(
    tx: Tx,
    touched: readonly { incident: Incident; isNew: boolean; changed: boolean }[],
    now: Date,
  ): Promise<void> {
    const events: IocEvent[] = [];
    for (const { incident, isNew, changed } of touched) {
      const before = incident.severity;
      const severity = this.severity.severityOf({
        class: incident.class,
        peakConfidence: incident.peakConfidence,
        count: incident.count,
        at: incident.lastSeenAt,
      });
      incident.severity = severity;
      if (isNew) {
        const status = incident.status;
        incident.status = 'open';
        events.push(incidentEvent(this.ids.next(), 'opened', incident, incident.firstSeenAt));
        incident.status = status;
        incident.lastEmittedAt = now;
      } else if (changed && incident.status !== 'cleared') {
        const due =
          now.getTime() - incident.lastEmittedAt.getTime() >= this.config.INTAKE_INCIDENT_UPDATE_INTERVAL;
        if (due || severity !== before) {
          events.push(incidentEvent(this.ids.next(), 'updated', incident, incident.lastSeenAt));
          incident.lastEmittedAt = now;
          incident.updatePending = false;
        } else {
          incident.updatePending = true;
        }
      }
      if (incident.status === 'cleared') {
        events.push(incidentEvent(this.ids.next(), 'cleared', incident, incident.clearedAt ?? now));
        incident.lastEmittedAt = now;
      }
    }
    await this.incidents.save(
      tx,
      touched.filter((t) => !t.isNew).map((t) => t.incident),
    );
    await this.incidents.save(
      tx,
      touched.filter((t) => t.isNew).map((t) => t.incident),
    );
    await this.outbox.enqueue(tx, this.topics.of(Topics.incidentsEvents), events);
  }
}

function uniqueKeys(
  keys: readonly { subjectId: string; class: string }[],
): { subjectId: string; class: string }[] {
  const seen = new Map<string, { subjectId: string; class: string }>();
  for (const key of keys) seen.set(`${key.subjectId}\u0000${key.class}`, key);
  return [...seen.values()];
}
