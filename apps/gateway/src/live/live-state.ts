import type {
  EventDataMap,
  KnownIocEvent,
  LiveCamera,
  LiveIncident,
  LiveKpi,
  LiveReport,
  LiveSegment,
  LiveSnapshotMessage,
  LiveStream,
} from '@ioc/contracts';
import type { Routing } from './live-filter';

type KpiUpdate = EventDataMap['ioc.kpi.updated.v1'];

/** Points of a KPI kept for the sparkline a snapshot carries. */
export const KPI_POINTS = 24;

/** A report no longer moves once closed, rejected or linked as a duplicate: the wall shows open ones. */
const FINAL_REPORT_STATUSES: ReadonlySet<string> = new Set(['closed', 'rejected', 'duplicate']);

/** The item a snapshot shows, with how to route it; the snapshot keeps the items a client may see. */
export type SnapshotContent = Omit<LiveSnapshotMessage, 'cursor' | 'takenAt'>;

const unique = (values: readonly (string | undefined)[]): string[] => [
  ...new Set(values.filter((value): value is string => value !== undefined)),
];

/**
 * The state of the city as the live topics tell it, folded from their events in Kafka order: open reports and
 * incidents, each camera's status, each segment's congestion, and the KPI values with their last points. A
 * gateway reads the topics from their beginning at start (within retention; the KPI topic is compacted, so all
 * of it), so the state it snapshots is exactly the one after the positions it has read: the snapshot's cursor
 * joins the live stream without a gap or a duplicate (docs/architecture.md, "Live gateway").
 */
export class LiveState {
  private readonly reports = new Map<string, LiveReport>();
  /** The agency of every report that may still change, open or not shown (for "before" of a reassignment). */
  private readonly reportAgencies = new Map<string, string>();
  private readonly incidents = new Map<string, LiveIncident>();
  private readonly cameras = new Map<string, LiveCamera>();
  private readonly segments = new Map<string, LiveSegment>();
  /** Per KPI, dimension and period: the values by period start. */
  private readonly kpis = new Map<string, Map<string, KpiUpdate>>();

  /** Folds one event into the state and says who may see it (as it was before and is after the change). */
  apply(stream: LiveStream, event: KnownIocEvent): Routing {
    switch (event.type) {
      case 'ioc.kpi.updated.v1':
        return this.applyKpi(event.data);
      case 'ioc.camera.status-changed.v1': {
        const { data } = event;
        const before = this.cameras.get(data.cameraId);
        this.cameras.set(data.cameraId, {
          cameraId: data.cameraId,
          status: data.status,
          since: data.since,
          ...(data.location === undefined ? {} : { location: data.location }),
          ...(data.adminUnitCode === undefined ? {} : { adminUnitCode: data.adminUnitCode }),
        });
        return { stream, agencies: [], ...units([data.adminUnitCode, before?.adminUnitCode]) };
      }
      case 'ioc.traffic.congestion-changed.v1': {
        const { data } = event;
        const before = this.segments.get(data.segmentId);
        this.segments.set(data.segmentId, {
          segmentId: data.segmentId,
          level: data.level,
          ...(data.speedKmh === undefined ? {} : { speedKmh: data.speedKmh }),
          observedAt: data.observedAt,
          ...(data.adminUnitCode === undefined ? {} : { adminUnitCode: data.adminUnitCode }),
        });
        return { stream, agencies: [], ...units([data.adminUnitCode, before?.adminUnitCode]) };
      }
      default:
        if (stream === 'reports' && event.type.startsWith('ioc.report.')) return this.applyReport(event);
        if (stream === 'incidents' && event.type.startsWith('ioc.incident.'))
          return this.applyIncident(event);
        // An event of another stream's type on a topic: shown to nobody.
        return { stream, agencies: [], adminUnitCodes: [] };
    }
  }

  private applyReport(event: KnownIocEvent): Routing {
    const data = event.data as EventDataMap['ioc.report.assigned.v1'] & {
      resolveDueAt?: string;
      previousAgencyId?: string;
    };
    const before = this.reports.get(data.reportId);
    const agencyBefore = this.reportAgencies.get(data.reportId) ?? data.previousAgencyId;
    const overdue =
      event.type === 'ioc.report.overdue.v1'
        ? true
        : event.type === 'ioc.report.assigned.v1'
          ? false
          : (before?.overdue ?? false);
    const resolveDueAt = data.resolveDueAt ?? before?.resolveDueAt;
    const agencyId = event.type === 'ioc.report.declined.v1' ? undefined : data.agencyId;
    if (FINAL_REPORT_STATUSES.has(data.status)) {
      this.reports.delete(data.reportId);
      this.reportAgencies.delete(data.reportId);
    } else {
      this.reports.set(data.reportId, {
        reportId: data.reportId,
        trackingCode: data.trackingCode,
        status: data.status,
        categoryCode: data.categoryCode,
        adminUnitCodes: [...data.adminUnitCodes],
        location: data.location,
        ...(agencyId === undefined ? {} : { agencyId }),
        channel: data.channel,
        submittedAt: data.submittedAt,
        ...(resolveDueAt === undefined ? {} : { resolveDueAt }),
        overdue,
        updatedAt: data.occurredAt,
      });
      if (agencyId === undefined) this.reportAgencies.delete(data.reportId);
      else this.reportAgencies.set(data.reportId, agencyId);
    }
    return {
      stream: 'reports',
      // A declining agency is named on its decline, which it sees; the report is then the operators'.
      agencies: unique([data.agencyId, agencyBefore]),
      adminUnitCodes: unique([...data.adminUnitCodes, ...(before?.adminUnitCodes ?? [])]),
    };
  }

  private applyIncident(event: KnownIocEvent): Routing {
    const data = event.data as EventDataMap['ioc.incident.opened.v1'];
    const before = this.incidents.get(data.incidentId);
    if (data.status === 'cleared') this.incidents.delete(data.incidentId);
    else
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
    const severities = ['low', 'medium', 'high', 'critical'] as const;
    const severity =
      before !== undefined && severities.indexOf(before.severity) > severities.indexOf(data.severity)
        ? before.severity
        : data.severity;
    return {
      stream: 'incidents',
      agencies: unique([data.agencyId, before?.agencyId]),
      ...units([data.adminUnitCode, before?.adminUnitCode]),
      severity,
    };
  }

  private applyKpi(data: KpiUpdate): Routing {
    const series = `${data.kpiCode}:${data.dimension.kind}:${data.dimension.code}:${data.period}`;
    let points = this.kpis.get(series);
    if (points === undefined) {
      points = new Map();
      this.kpis.set(series, points);
    }
    points.set(data.periodStart, data);
    if (points.size > KPI_POINTS) {
      const oldest = [...points.keys()].sort().slice(0, points.size - KPI_POINTS);
      for (const start of oldest) points.delete(start);
    }
    return kpiRouting(data);
  }

  /** The state as a snapshot, keeping what `visible` lets through. */
  snapshot(visible: (routing: Routing) => boolean): SnapshotContent {
    const reports = [...this.reports.values()].filter((report) =>
      visible({
        stream: 'reports',
        agencies: unique([report.agencyId]),
        adminUnitCodes: report.adminUnitCodes,
      }),
    );
    const incidents = [...this.incidents.values()].filter((incident) =>
      visible({
        stream: 'incidents',
        agencies: unique([incident.agencyId]),
        ...units([incident.adminUnitCode]),
        severity: incident.severity,
      }),
    );
    const cameras = [...this.cameras.values()].filter((camera) =>
      visible({ stream: 'cameras', agencies: [], ...units([camera.adminUnitCode]) }),
    );
    const segments = [...this.segments.values()].filter((segment) =>
      visible({ stream: 'traffic', agencies: [], ...units([segment.adminUnitCode]) }),
    );
    const kpis: LiveKpi[] = [];
    for (const points of this.kpis.values()) {
      const ordered = [...points.values()].sort((a, b) => a.periodStart.localeCompare(b.periodStart));
      const current = ordered[ordered.length - 1];
      if (current === undefined || !visible(kpiRouting(current))) continue;
      kpis.push({ current, points: ordered.map(({ periodStart, value }) => ({ periodStart, value })) });
    }
    return { reports, incidents, cameras, segments, kpis };
  }
}

function units(codes: readonly (string | undefined)[]): { adminUnitCodes?: string[] } {
  const known = unique(codes);
  return known.length === 0 ? {} : { adminUnitCodes: known };
}

function kpiRouting(data: KpiUpdate): Routing {
  const { kind, code } = data.dimension;
  return {
    stream: 'kpi',
    agencies: kind === 'agency' ? [code] : [],
    ...(kind === 'unit' ? { adminUnitCodes: [code] } : {}),
    ...(kind === 'city' ? { cityWide: true } : {}),
  };
}
