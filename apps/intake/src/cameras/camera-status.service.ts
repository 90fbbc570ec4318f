import { createEvent, EventTypes, type EventDataMap, type IocEvent, Topics } from '@ioc/contracts';
import { Outbox, TopicNames } from '@ioc/messaging';
import { Injectable } from '@nestjs/common';
import { type Tx, UnitOfWork } from '@ioc/database';
import { IntakeConfig } from '../config';
import { FutureEventTimeError, UnknownCameraError } from '../reference/reference-data.errors';
import { Clock } from '@ioc/platform';
import { IdGenerator } from '../common/id-generator';
import { INTAKE_EVENT_SOURCE } from '../common/intake-topics';
import { type CameraLiveness, CamerasRepository, type StatusChange } from './cameras.repository';

/** A heartbeat event as the consumer hands it over. */
export interface HeartbeatInput {
  eventId: string;
  data: EventDataMap[typeof EventTypes.cameraHeartbeat];
}

/** Uptime over a window, per camera and per administrative unit, for the KPI service. */
export interface UptimeReport {
  from: string;
  to: string;
  cameras: { cameraId: string; adminUnitCode: string; onlineMs: number; uptime: number }[];
  units: { adminUnitCode: string; cameras: number; uptime: number }[];
}

const SWEEP_BATCH = 500;

/**
 * Camera liveness: heartbeats keep a camera online; none for INTAKE_CAMERA_OFFLINE_AFTER takes it
 * offline once; a heartbeat brings it back. Every change is recorded (for uptime) and announced on
 * `ioc.cameras.status` in the same transaction.
 */
@Injectable()
export class CameraStatusService {
  constructor(
    private readonly cameras: CamerasRepository,
    private readonly outbox: Outbox,
    private readonly topics: TopicNames,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly config: IntakeConfig,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * Applies a chunk of heartbeats: the latest heartbeat time per camera wins (event time, so order does
   * not matter); a camera not online comes online only from a heartbeat recent enough to keep it online.
   * @throws UnknownCameraError / FutureEventTimeError (poison)
   */
  async applyHeartbeats(tx: Tx, inputs: readonly HeartbeatInput[]): Promise<void> {
    const now = this.clock.now().getTime();
    // Epoch milliseconds inside the fold; a camera's liveness takes a Date once, below.
    const latest = new Map<string, number>();
    for (const { eventId, data } of inputs) {
      const at = Date.parse(data.observedAt);
      if (at > now + this.config.INTAKE_EVENT_MAX_FUTURE_SKEW) throw new FutureEventTimeError(eventId);
      latest.set(data.cameraId, Math.max(latest.get(data.cameraId) ?? at, at));
    }
    const cameras = await this.cameras.lockLiveness(tx, [...latest.keys()]);
    const changes: StatusChange[] = [];
    const events: IocEvent[] = [];
    for (const [cameraId, at] of latest) {
      const camera = cameras.get(cameraId);
      if (!camera) throw new UnknownCameraError(cameraId);
      if (camera.lastHeartbeatAt === null || at > camera.lastHeartbeatAt.getTime()) {
        camera.lastHeartbeatAt = new Date(at);
      }
      const fresh = camera.lastHeartbeatAt.getTime() >= now - this.config.INTAKE_CAMERA_OFFLINE_AFTER;
      if (camera.status !== 'online' && fresh) {
        const previous = camera.status;
        camera.status = 'online';
        camera.statusSince = camera.lastHeartbeatAt;
        changes.push({ cameraId, status: 'online', at: camera.statusSince });
        events.push(this.statusEvent(camera, previous));
      }
    }
    await this.cameras.saveLiveness(tx, [...cameras.values()]);
    await this.cameras.recordChanges(tx, changes);
    await this.outbox.enqueue(tx, this.topics.of(Topics.camerasStatus), events);
  }

  /** Takes silent cameras offline; returns how many. Safe with several instances. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const after = this.config.INTAKE_CAMERA_OFFLINE_AFTER;
    return this.unitOfWork.run(async (tx) => {
      const offline = await this.cameras.markSilentOffline(
        tx,
        new Date(now.getTime() - after),
        after,
        SWEEP_BATCH,
      );
      await this.cameras.recordChanges(
        tx,
        offline.map((c) => ({ cameraId: c.id, status: 'offline', at: c.statusSince ?? now })),
      );
      await this.outbox.enqueue(
        tx,
        this.topics.of(Topics.camerasStatus),
        offline.map((c) => this.statusEvent(c, 'online')),
      );
      return offline.length;
    });
  }

  /** Online share of [from, to) per camera and per unit; time before a camera's first status counts as down. */
  async uptime(from: Date, to: Date): Promise<UptimeReport> {
    const end = Math.min(to.getTime(), this.clock.now().getTime());
    const span = Math.max(end - from.getTime(), 0);
    const rows = await this.unitOfWork.run((tx) => this.cameras.onlineTime(tx, from, new Date(end)));
    const cameras = rows.map((r) => ({ ...r, uptime: span === 0 ? 0 : r.onlineMs / span }));
    const units = new Map<string, { cameras: number; onlineMs: number }>();
    for (const camera of cameras) {
      const unit = units.get(camera.adminUnitCode) ?? { cameras: 0, onlineMs: 0 };
      unit.cameras += 1;
      unit.onlineMs += camera.onlineMs;
      units.set(camera.adminUnitCode, unit);
    }
    return {
      from: from.toISOString(),
      to: new Date(Math.max(end, from.getTime())).toISOString(),
      cameras,
      units: [...units].map(([adminUnitCode, u]) => ({
        adminUnitCode,
        cameras: u.cameras,
        uptime: span === 0 ? 0 : u.onlineMs / (span * u.cameras),
      })),
    };
  }

  async list(): Promise<CameraLiveness[]> {
    return this.unitOfWork.run((tx) => this.cameras.list(tx));
  }

  private statusEvent(camera: CameraLiveness, previous: CameraLiveness['status']): IocEvent {
    const since = camera.statusSince ?? this.clock.now();
    return createEvent(EventTypes.cameraStatusChanged, {
      id: this.ids.next(),
      source: INTAKE_EVENT_SOURCE,
      subject: camera.id,
      time: since,
      data: {
        cameraId: camera.id,
        status: camera.status ?? 'offline',
        ...(previous === null ? {} : { previousStatus: previous }),
        since: since.toISOString(),
        ...(camera.lastHeartbeatAt === null ? {} : { lastHeartbeatAt: camera.lastHeartbeatAt.toISOString() }),
        location: { lat: camera.lat, lon: camera.lon },
        adminUnitCode: camera.adminUnitCode,
      },
    });
  }
}
