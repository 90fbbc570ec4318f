import type {
  LiveChange,
  LiveEventsMessage,
  LiveIncident,
  LiveKpi,
  LiveReport,
  LiveSnapshotMessage,
} from '@ioc/contracts';

/** Test data for the page's specs: live messages shaped as the contract says. */
let sequence = 0;

export function aCursor(): string {
  sequence += 1;
  return `c.${sequence}`;
}

export function aReportEvent(
  overrides: Partial<Extract<LiveChange, { stream: 'reports' }>['event']['data']> = {},
  type: Extract<LiveChange, { stream: 'reports' }>['event']['type'] = 'ioc.report.submitted.v1',
  id = `evt-${++sequence}`,
): LiveChange {
  const data = {
    reportId: 'R-1',
    trackingCode: 'HP-ABCD',
    status: 'submitted' as const,
    categoryCode: 'potholes',
    adminUnitCodes: ['HP.2025.LE-CHAN'],
    location: { lat: 20.85, lon: 106.68 },
    channel: 'app' as const,
    submittedAt: '2025-09-01T01:00:00Z',
    occurredAt: '2025-09-01T01:00:00Z',
    ...overrides,
  };
  return {
    stream: 'reports',
    event: { id, type, time: data.occurredAt, subject: data.reportId, data },
  } as LiveChange;
}

export function anIncidentEvent(
  overrides: Partial<LiveIncident & { occurredAt: string }> = {},
  type: Extract<LiveChange, { stream: 'incidents' }>['event']['type'] = 'ioc.incident.opened.v1',
  id = `evt-${++sequence}`,
): LiveChange {
  const { updatedAt: _updatedAt, ...rest } = { updatedAt: '', ...overrides };
  const data = {
    incidentId: 'INC-1',
    source: 'camera' as const,
    cameraId: 'CAM-TJ-001',
    class: 'accident' as const,
    severity: 'high' as const,
    status: 'open' as const,
    count: 1,
    firstSeenAt: '2025-09-01T01:00:00Z',
    lastSeenAt: '2025-09-01T01:00:00Z',
    location: { lat: 20.848, lon: 106.702 },
    occurredAt: '2025-09-01T01:00:00Z',
    ...rest,
  };
  return {
    stream: 'incidents',
    event: { id, type, time: data.occurredAt, subject: data.incidentId, data },
  } as LiveChange;
}

export function aKpiUpdate(
  overrides: Partial<LiveKpi['current']> = {},
  id = `evt-${++sequence}`,
): LiveChange {
  const data: LiveKpi['current'] = {
    kpiCode: 'report-on-time-share',
    dimension: { kind: 'city', code: 'hai-phong' },
    period: 'day',
    periodStart: '2025-08-31T17:00:00Z',
    periodEnd: '2025-09-01T17:00:00Z',
    value: 80,
    unit: '%',
    direction: 'at-least',
    target: 90,
    projection: { value: 85, basis: 'trend', elapsedShare: 0.5 },
    status: 'at-risk',
    sampleCount: 10,
    lateCount: 0,
    computedAt: '2025-09-01T05:00:00Z',
    ...overrides,
  };
  return {
    stream: 'kpi',
    event: { id, type: 'ioc.kpi.updated.v1', time: data.computedAt, subject: data.kpiCode, data },
  };
}

/** One `live:events` message carrying `changes`, with a fresh cursor. */
export function aMessage(...changes: LiveChange[]): LiveEventsMessage {
  return { cursor: aCursor(), changes };
}

export function aSnapshot(overrides: Partial<LiveSnapshotMessage> = {}): LiveSnapshotMessage {
  return {
    cursor: aCursor(),
    takenAt: '2025-09-01T00:00:00Z',
    reports: [],
    incidents: [],
    cameras: [],
    segments: [],
    kpis: [],
    ...overrides,
  };
}

export function aLiveReport(overrides: Partial<LiveReport> = {}): LiveReport {
  return {
    reportId: 'R-9',
    trackingCode: 'HP-9999',
    status: 'assigned',
    categoryCode: 'potholes',
    adminUnitCodes: [],
    location: { lat: 20.85, lon: 106.68 },
    agencyId: 'AG-SXD',
    channel: 'web',
    submittedAt: '2025-09-01T00:00:00Z',
    overdue: false,
    updatedAt: '2025-09-01T00:00:00Z',
    ...overrides,
  };
}
