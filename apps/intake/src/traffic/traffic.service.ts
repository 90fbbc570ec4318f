import { createEvent, EventTypes, type EventDataMap, type IocEvent, Topics } from '@ioc/contracts';
import { Outbox, TopicNames } from '@ioc/messaging';
import { Injectable } from '@nestjs/common';
import { type Tx, UnitOfWork } from '@ioc/database';
import { IntakeConfig } from '../config';
import type { IncidentPlace } from '../incidents/correlation';
import { IncidentsService, type JamSignal } from '../incidents/incidents.service';
import { FutureEventTimeError, UnknownSegmentError } from '../reference/reference-data.errors';
import { Clock } from '@ioc/platform';
import { IdGenerator } from '../common/id-generator';
import { INTAKE_EVENT_SOURCE } from '../common/intake-topics';
import { type CongestionThresholds, nextCongestionLevel } from './congestion';
import { type SegmentState, TrafficRepository } from './traffic.repository';

/** A traffic observation as the consumer hands it over. */
export interface ObservationInput {
  eventId: string;
  data: EventDataMap[typeof EventTypes.trafficObservation];
}

/**
 * Road congestion: each observation newer than the segment's last one moves its level (with
 * hysteresis); a change is an event on `ioc.traffic.status`; a jam lasting INTAKE_TRAFFIC_JAM_INCIDENT_AFTER
 * (event time) opens an incident, which merges later jammed observations and clears when the jam ends.
 * An observation older than the segment's latest is counted and changes nothing: a level is a "now".
 */
@Injectable()
export class TrafficService {
  private readonly thresholds: CongestionThresholds;

  constructor(
    private readonly traffic: TrafficRepository,
    private readonly incidents: IncidentsService,
    private readonly outbox: Outbox,
    private readonly topics: TopicNames,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly config: IntakeConfig,
    private readonly unitOfWork: UnitOfWork,
  ) {
    this.thresholds = {
      slow: config.INTAKE_TRAFFIC_SLOW_RATIO,
      congested: config.INTAKE_TRAFFIC_CONGESTED_RATIO,
      jammed: config.INTAKE_TRAFFIC_JAMMED_RATIO,
      hysteresis: config.INTAKE_TRAFFIC_HYSTERESIS,
    };
  }

  /** @throws UnknownSegmentError / FutureEventTimeError (poison) */
  async applyObservations(tx: Tx, inputs: readonly ObservationInput[]): Promise<void> {
    const latestAllowed = this.clock.now().getTime() + this.config.INTAKE_EVENT_MAX_FUTURE_SKEW;
    const observations = inputs.map(({ eventId, data }) => {
      const at = new Date(data.observedAt);
      if (at.getTime() > latestAllowed) throw new FutureEventTimeError(eventId);
      return { segmentId: data.segmentId, speedKmh: data.speedKmh, at };
    });
    const segments = await this.traffic.lockSegments(tx, [...new Set(observations.map((o) => o.segmentId))]);
    const events: IocEvent[] = [];
    const jams = new Map<string, { place: IncidentPlace; signals: JamSignal[] }>();
    // Stable sort: equal times keep their offset order.
    for (const o of [...observations].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      const segment = segments.get(o.segmentId);
      if (!segment) throw new UnknownSegmentError(o.segmentId);
      segment.observations += 1;
      if (segment.lastObservedAt !== null && o.at.getTime() <= segment.lastObservedAt.getTime()) continue;
      const previous = segment.level;
      const level = nextCongestionLevel(previous, o.speedKmh, segment.freeFlowKmh, this.thresholds);
      segment.lastObservedAt = o.at;
      segment.lastSpeedKmh = o.speedKmh;
      const signals = () => {
        const entry = jams.get(segment.id) ?? { place: segment, signals: [] };
        jams.set(segment.id, entry);
        return entry.signals;
      };
      if (level !== previous) {
        segment.level = level;
        segment.levelSince = o.at;
        events.push(this.changeEvent(segment, previous, o.speedKmh, o.at));
        if (previous === 'jammed') signals().push({ kind: 'ended', at: o.at });
      }
      if (
        level === 'jammed' &&
        o.at.getTime() - (segment.levelSince ?? o.at).getTime() >=
          this.config.INTAKE_TRAFFIC_JAM_INCIDENT_AFTER
      ) {
        signals().push({ kind: 'jammed', at: o.at });
      }
    }
    await this.traffic.save(tx, [...segments.values()]);
    await this.outbox.enqueue(tx, this.topics.of(Topics.trafficStatus), events);
    await this.incidents.applyJamSignals(tx, jams);
  }

  async list(): Promise<SegmentState[]> {
    return this.unitOfWork.run((tx) => this.traffic.list(tx));
  }

  private changeEvent(
    segment: SegmentState,
    previous: SegmentState['level'],
    speedKmh: number,
    at: Date,
  ): IocEvent {
    return createEvent(EventTypes.trafficCongestionChanged, {
      id: this.ids.next(),
      source: INTAKE_EVENT_SOURCE,
      subject: segment.id,
      time: at,
      data: {
        segmentId: segment.id,
        level: segment.level ?? 'free',
        ...(previous === null ? {} : { previousLevel: previous }),
        speedKmh,
        freeFlowSpeedKmh: segment.freeFlowKmh,
        observedAt: at.toISOString(),
        adminUnitCode: segment.adminUnitCode,
      },
    });
  }
}
