import type { EventDataMap, EventType } from '../src';

// One valid payload per event type for the contract's own specs. Typed by EventDataMap, so a schema change that
// breaks a sample fails type-checking before it fails a spec. Coordinates are arbitrary, not a real city.
const at = '2025-03-01T02:00:00.000Z';
const later = '2025-03-01T03:30:00.000Z';
const location = { lat: 10.5, lon: 105.25 };

const reportBase = {
  reportId: '0b7f6c1e-2a57-4f4e-9a51-6d2f8a3c9e10',
  trackingCode: 'PA-2025-000123',
  categoryCode: 'roads.pothole',
  adminUnitCodes: ['old:district-1', 'old:ward-7', 'new:ward-3'],
  location,
  channel: 'app' as const,
  submittedAt: at,
  occurredAt: later,
};

const incidentBase = {
  incidentId: 'inc-0001',
  source: 'camera' as const,
  cameraId: 'cam-0042',
  class: 'accident' as const,
  severity: 'high' as const,
  count: 3,
  firstSeenAt: at,
  lastSeenAt: later,
  peakConfidence: 0.93,
  location,
  adminUnitCode: 'new:ward-3',
  occurredAt: later,
};

const dimension = { kind: 'city' as const, code: 'city-1' };

export const eventSamples: { [K in EventType]: EventDataMap[K] } = {
  'ioc.report.submission.v1': {
    channel: 'hotline',
    externalId: 'HL-77812',
    categoryCode: 'lighting.streetlight',
    description: 'Street light out in front of house 12',
    location,
    addressText: '12 Example Street',
    occurredAt: at,
    reporter: { name: 'Nguyễn Văn A', phone: '+84 912 345 678', email: 'a@example.org' },
    attachments: [{ url: 'https://files.example.org/p/1.jpg', contentType: 'image/jpeg' }],
    language: 'vi',
  },
  'ioc.report.submitted.v1': {
    ...reportBase,
    status: 'submitted',
    externalId: 'HL-77812',
    attachmentCount: 1,
  },
  'ioc.report.assigned.v1': {
    ...reportBase,
    status: 'assigned',
    agencyId: 'agency-transport',
    assignedBy: 'routing-rule',
    ackDueAt: '2025-03-01T06:00:00.000Z',
    resolveDueAt: '2025-03-04T02:00:00.000Z',
  },
  'ioc.report.acknowledged.v1': {
    ...reportBase,
    status: 'acknowledged',
    agencyId: 'agency-transport',
    ackDueAt: '2025-03-01T06:00:00.000Z',
  },
  'ioc.report.started.v1': { ...reportBase, status: 'in-progress', agencyId: 'agency-transport' },
  'ioc.report.resolved.v1': {
    ...reportBase,
    status: 'resolved',
    agencyId: 'agency-transport',
    answerSummary: 'The pothole was filled on 3 March.',
    resolveDueAt: '2025-03-04T02:00:00.000Z',
  },
  'ioc.report.closed.v1': { ...reportBase, status: 'closed', closedBy: 'citizen' },
  'ioc.report.reopened.v1': { ...reportBase, status: 'reopened', reason: 'Still broken', reopenCount: 1 },
  'ioc.report.declined.v1': {
    ...reportBase,
    status: 'declined',
    agencyId: 'agency-water',
    reason: 'Not a water issue',
  },
  'ioc.report.rejected.v1': { ...reportBase, status: 'rejected', reason: 'Not actionable' },
  'ioc.report.duplicate-linked.v1': { ...reportBase, status: 'duplicate', duplicateOf: 'report-0001' },
  'ioc.report.overdue.v1': { ...reportBase, status: 'assigned', breach: 'acknowledge', dueAt: later },
  'ioc.report.rated.v1': { ...reportBase, status: 'closed', rating: 4 },
  'ioc.camera.detection.v1': {
    cameraId: 'cam-0042',
    class: 'congestion',
    confidence: 0.81,
    observedAt: at,
    snapshotRef: 'vendor://frames/2025/03/01/abc.jpg',
    attributes: { vehicleCount: 42, lane: 'north', night: false },
  },
  'ioc.camera.heartbeat.v1': {
    cameraId: 'cam-0042',
    observedAt: at,
    status: 'ok',
    firmware: '4.2.1',
    fps: 25,
  },
  'ioc.traffic.observation.v1': {
    segmentId: 'seg-0007',
    observedAt: at,
    speedKmh: 18.5,
    volumeVehPerHour: 1450,
    occupancyPct: 37.5,
  },
  'ioc.incident.opened.v1': { ...incidentBase, status: 'open' },
  'ioc.incident.updated.v1': { ...incidentBase, status: 'open', count: 5 },
  'ioc.incident.acknowledged.v1': { ...incidentBase, status: 'acknowledged' },
  'ioc.incident.assigned.v1': { ...incidentBase, status: 'assigned', agencyId: 'agency-police' },
  'ioc.incident.cleared.v1': { ...incidentBase, status: 'cleared', clearedReason: 'resolved' },
  'ioc.camera.status-changed.v1': {
    cameraId: 'cam-0042',
    status: 'offline',
    previousStatus: 'online',
    since: later,
    lastHeartbeatAt: at,
    location,
    adminUnitCode: 'new:ward-3',
  },
  'ioc.traffic.congestion-changed.v1': {
    segmentId: 'seg-0007',
    level: 'congested',
    previousLevel: 'slow',
    speedKmh: 12,
    freeFlowSpeedKmh: 50,
    observedAt: at,
  },
  'ioc.kpi.observation.v1': {
    kpiCode: 'public-services.online-share',
    dimension,
    value: 27.9,
    unit: '%',
    observedAt: at,
    periodStart: '2025-01-01T00:00:00.000Z',
    periodEnd: '2025-03-01T00:00:00.000Z',
    source: 'public-service-portal',
  },
  'ioc.kpi.updated.v1': {
    kpiCode: 'reports.on-time-resolution',
    dimension,
    period: 'month',
    periodStart: '2025-02-28T17:00:00.000Z',
    periodEnd: '2025-03-31T17:00:00.000Z',
    value: 96.4,
    unit: '%',
    direction: 'at-least',
    target: 98,
    projection: { value: 97.1, basis: 'trend', elapsedShare: 0.45 },
    status: 'at-risk',
    sampleCount: 215,
    lateCount: 0,
    computedAt: later,
  },
};

/** A sample payload as a fresh plain object that a spec may mutate. */
export function sampleData<K extends EventType>(type: K): Record<string, unknown> {
  return structuredClone(eventSamples[type]) as Record<string, unknown>;
}
