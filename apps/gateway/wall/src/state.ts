import type {
  LiveCamera,
  LiveChange,
  LiveIncident,
  LiveKpi,
  LiveReport,
  LiveSegment,
  LiveSnapshotMessage,
  LiveStream,
} from '@ioc/contracts';

/** Who looks at the wall, from the token's claims: an agency sees only what is assigned to it. */
export interface Viewer {
  roles: readonly string[];
  agencyId?: string;
}

/** One line of the feed of latest events. */
export interface FeedEntry {
  eventId: string;
  stream: LiveStream;
  type: string;
  time: string;
  /** The item it concerns, to select it on the map. */
  itemId: string;
}

/** Reports that leave the wall: nothing remains to be done about them. */
const FINISHED_REPORT_STATUSES: ReadonlySet<LiveReport['status']> = new Set([
  'closed',
  'rejected',
  'duplicate',
]);

/** How many points a KPI keeps for its sparkline. */
export const SPARKLINE_POINTS = 24;
/** How many entries the feed keeps. */
export const FEED_LENGTH = 40;

/** The key of a KPI value: one KPI, one dimension, one kind of period. */
export function kpiKey(current: Pick<LiveKpi['current'], 'kpiCode' | 'dimension' | 'period'>): string {
  return `${current.kpiCode}|${current.dimension.kind}|${current.dimension.code}|${current.period}`;
}

/** Whether `viewer` may see an item assigned to `agencyId` (agency scoping, docs/architecture.md "Who uses it"). */
export function canSee(viewer: Viewer, agencyId: string | undefined): boolean {
  if (viewer.roles.includes('operator')) return true;
  return viewer.agencyId !== undefined && agencyId === viewer.agencyId;
}

/**
 * The wall's state: the snapshot the gateway sent, with every live change after it applied. Changes are applied
 * by event time, so an older change arriving late never overwrites a newer one, and every method is safe to
 * call again with the same event. DOM-free: the page renders from it, the specs drive it directly.
 */
export class WallStore {
  readonly reports = new Map<string, LiveReport>();
  readonly incidents = new Map<string, LiveIncident>();
  readonly cameras = new Map<string, LiveCamera>();
  readonly segments = new Map<string, LiveSegment>();
  readonly kpis = new Map<string, LiveKpi>();
  feed: FeedEntry[] = [];
  /** When the state was last changed by the gateway (snapshot or event), as it said. */
  updatedAt: string | undefined;

  constructor(private readonly viewer: Viewer = { roles: ['operator'] }) {}

  /** Replaces everything with a snapshot (the first subscription, or a resync). The feed is kept. */
  applySnapshot(snapshot: LiveSnapshotMessage): void {
    this.reports.clear();
    this.incidents.clear();
    this.cameras.clear();
    this.segments.clear();
    this.kpis.clear();
    for (const report of snapshot.reports) {
      if (canSee(this.viewer, report.agencyId)) this.reports.set(report.reportId, report);
    }
    for (const incident of snapshot.incidents) {
      if (canSee(this.viewer, incident.agencyId)) this.incidents.set(incident.incidentId, incident);
    }
    for (const camera of snapshot.cameras) this.cameras.set(camera.cameraId, camera);
    for (const segment of snapshot.segments) this.segments.set(segment.segmentId, segment);
    for (const kpi of snapshot.kpis) {
      this.kpis.set(kpiKey(kpi.current), { current: kpi.current, points: lastPoints(kpi.points) });
    }
    this.updatedAt = snapshot.takenAt;
  }

  /** Applies one live change; answers whether anything the wall shows changed. */
  applyEvent(message: LiveChange): boolean {
    const changed = this.apply(message);
    if (changed) {
      this.updatedAt = message.event.time;
      this.feed = [
        {
          eventId: message.event.id,
          stream: message.stream,
          type: message.event.type,
          time: message.event.time,
          itemId: message.event.subject,
        },
        ...this.feed.filter((entry) => entry.eventId !== message.event.id),
      ].slice(0, FEED_LENGTH);
    }
    return changed;
  }

  private apply(message: LiveChange): boolean {
    switch (message.stream) {
      case 'reports':
        return this.applyReport(message.event);
      case 'incidents':
        return this.applyIncident(message.event);
      case 'cameras': {
        const data = message.event.data;
        const known = this.cameras.get(data.cameraId);
        if (known !== undefined && after(known.since, data.since)) return false;
        this.cameras.set(data.cameraId, {
          cameraId: data.cameraId,
          status: data.status,
          since: data.since,
          ...(data.location === undefined ? {} : { location: data.location }),
          ...(data.adminUnitCode === undefined ? {} : { adminUnitCode: data.adminUnitCode }),
        });
        return true;
      }
      case 'traffic': {
        const data = message.event.data;
        const known = this.segments.get(data.segmentId);
        if (known !== undefined && after(known.observedAt, data.observedAt)) return false;
        this.segments.set(data.segmentId, {
          segmentId: data.segmentId,
          level: data.level,
          speedKmh: data.speedKmh,
          observedAt: data.observedAt,
          ...(data.adminUnitCode === undefined ? {} : { adminUnitCode: data.adminUnitCode }),
        });
        return true;
      }
      case 'kpi':
        return this.applyKpi(message.event.data);
    }
  }

  private applyReport(event: Extract<LiveChange, { stream: 'reports' }>['event']): boolean {
    const data = event.data;
    const known = this.reports.get(data.reportId);
    if (known !== undefined && after(known.updatedAt, data.occurredAt)) return false;
    if (!canSee(this.viewer, data.agencyId) || FINISHED_REPORT_STATUSES.has(data.status)) {
      return this.reports.delete(data.reportId);
    }
    let resolveDueAt = known?.resolveDueAt;
    if (event.type === 'ioc.report.assigned.v1') resolveDueAt = event.data.resolveDueAt;
    if (event.type === 'ioc.report.resolved.v1') resolveDueAt = event.data.resolveDueAt;
    // Overdue stays until the report is resolved or re-assigned with new deadlines.
    const overdue =
      event.type === 'ioc.report.overdue.v1' ||
      (known?.overdue === true && !['ioc.report.assigned.v1', 'ioc.report.resolved.v1'].includes(event.type));
    this.reports.set(data.reportId, {
      reportId: data.reportId,
      trackingCode: data.trackingCode,
      status: data.status,
      categoryCode: data.categoryCode,
      adminUnitCodes: data.adminUnitCodes,
      location: data.location,
      ...(data.agencyId === undefined ? {} : { agencyId: data.agencyId }),
      channel: data.channel,
      submittedAt: data.submittedAt,
      ...(resolveDueAt === undefined ? {} : { resolveDueAt }),
      overdue,
      updatedAt: data.occurredAt,
    });
    return true;
  }

  private applyIncident(event: Extract<LiveChange, { stream: 'incidents' }>['event']): boolean {
    const data = event.data;
    const known = this.incidents.get(data.incidentId);
    if (known !== undefined && after(known.updatedAt, data.occurredAt)) return false;
    if (!canSee(this.viewer, data.agencyId) || data.status === 'cleared') {
      return this.incidents.delete(data.incidentId);
    }
    this.incidents.set(data.incidentId, {
      incidentId: data.incidentId,
      source: data.source,
      ...(data.cameraId === undefined ? {} : { cameraId: data.cameraId }),
      ...(data.segmentId === undefined ? {} : { segmentId: data.segmentId }),
      class: data.class,
      severity: data.severity,
      status: data.status,
      count: data.count,
      firstSeenAt: data.firstSeenAt,
      lastSeenAt: data.lastSeenAt,
      location: data.location,
      ...(data.adminUnitCode === undefined ? {} : { adminUnitCode: data.adminUnitCode }),
      ...(data.agencyId === undefined ? {} : { agencyId: data.agencyId }),
      updatedAt: data.occurredAt,
    });
    return true;
  }

  private applyKpi(data: LiveKpi['current']): boolean {
    const key = kpiKey(data);
    const known = this.kpis.get(key);
    const points = upsertPoint(known?.points ?? [], { periodStart: data.periodStart, value: data.value });
    const newer =
      known === undefined ||
      after(data.periodStart, known.current.periodStart) ||
      (instant(data.periodStart) === instant(known.current.periodStart) &&
        !after(known.current.computedAt, data.computedAt));
    this.kpis.set(key, { current: newer ? data : (known as LiveKpi).current, points });
    return true;
  }

  /** The KPI tiles: for each KPI, its value for `dimension` (the city, or the viewer's agency) by its shortest period. */
  tiles(dimension: { kind: string; code?: string }): LiveKpi[] {
    const best = new Map<string, LiveKpi>();
    for (const kpi of this.kpis.values()) {
      const { kpiCode, dimension: own, period } = kpi.current;
      if (own.kind !== dimension.kind || (dimension.code !== undefined && own.code !== dimension.code))
        continue;
      const held = best.get(kpiCode);
      if (held === undefined || PERIOD_RANK[period] < PERIOD_RANK[held.current.period])
        best.set(kpiCode, kpi);
    }
    return [...best.values()].sort((a, b) => a.current.kpiCode.localeCompare(b.current.kpiCode));
  }
}

/** Tiles show the period that moves most visibly on a wall: the day, then the month and so on. */
const PERIOD_RANK: Record<LiveKpi['current']['period'], number> = {
  day: 0,
  month: 1,
  hour: 2,
  quarter: 3,
  year: 4,
};

/** Epoch milliseconds of an RFC 3339 instant; strings with other offsets or precision do not compare as text. */
function instant(iso: string): number {
  return Date.parse(iso);
}

function after(a: string, b: string): boolean {
  return instant(a) > instant(b);
}

function lastPoints(points: LiveKpi['points']): LiveKpi['points'] {
  return [...points].sort((a, b) => instant(a.periodStart) - instant(b.periodStart)).slice(-SPARKLINE_POINTS);
}

/** Replaces the point of the same period, or adds it in order; keeps the last {@link SPARKLINE_POINTS}. */
export function upsertPoint(points: LiveKpi['points'], point: LiveKpi['points'][number]): LiveKpi['points'] {
  const at = instant(point.periodStart);
  return lastPoints([...points.filter((p) => instant(p.periodStart) !== at), point]);
}
