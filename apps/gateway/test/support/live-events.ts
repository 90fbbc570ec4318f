import {
  createEvent,
  EventTypes,
  type IncidentSeverity,
  type IocEvent,
  kpiUpdateSubject,
} from '@ioc/contracts';

const SOURCE = '/ioc/gateway-tests';
const at = (time?: Date) => (time ?? new Date()).toISOString();
const place = { lat: 10.77, lon: 106.7 };

/** A report change as the reports service publishes it; `agencyId` makes it an assignment. */
export function aReportEvent(
  reportId: string,
  options: { agencyId?: string; previousAgencyId?: string; units?: string[]; status?: 'closed' } = {},
): IocEvent {
  const base = {
    reportId,
    trackingCode: `TC-${reportId.slice(-8)}`.replace(/[^A-Za-z0-9-]/g, '0'),
    categoryCode: 'pothole',
    adminUnitCodes: options.units ?? ['79', '79-760'],
    location: place,
    channel: 'web' as const,
    submittedAt: '2026-05-01T00:00:00.000Z',
    occurredAt: at(),
  };
  if (options.status === 'closed')
    return createEvent(EventTypes.reportClosed, {
      source: SOURCE,
      subject: reportId,
      data: {
        ...base,
        status: 'closed',
        closedBy: 'operator',
        ...(options.agencyId ? { agencyId: options.agencyId } : {}),
      },
    });
  if (options.agencyId === undefined)
    return createEvent(EventTypes.reportSubmitted, {
      source: SOURCE,
      subject: reportId,
      data: { ...base, status: 'submitted' },
    });
  return createEvent(EventTypes.reportAssigned, {
    source: SOURCE,
    subject: reportId,
    data: {
      ...base,
      status: 'assigned',
      agencyId: options.agencyId,
      ...(options.previousAgencyId === undefined ? {} : { previousAgencyId: options.previousAgencyId }),
      assignedBy: 'operator',
      ackDueAt: '2026-05-02T00:00:00.000Z',
      resolveDueAt: '2026-05-05T00:00:00.000Z',
    },
  });
}

/** An incident change as intake publishes it; `agencyId` makes it an assignment. */
export function anIncidentEvent(
  incidentId: string,
  options: { agencyId?: string; severity?: IncidentSeverity; unit?: string } = {},
): IocEvent {
  const data = {
    incidentId,
    source: 'camera' as const,
    cameraId: 'cam-1',
    class: 'accident' as const,
    severity: options.severity ?? 'high',
    count: 1,
    firstSeenAt: at(),
    lastSeenAt: at(),
    location: place,
    adminUnitCode: options.unit ?? '79-760',
    occurredAt: at(),
  };
  return options.agencyId === undefined
    ? createEvent(EventTypes.incidentOpened, {
        source: SOURCE,
        subject: incidentId,
        data: { ...data, status: 'open' },
      })
    : createEvent(EventTypes.incidentAssigned, {
        source: SOURCE,
        subject: incidentId,
        data: { ...data, status: 'assigned', agencyId: options.agencyId },
      });
}

export function aCameraEvent(cameraId: string, status: 'online' | 'offline' = 'offline'): IocEvent {
  return createEvent(EventTypes.cameraStatusChanged, {
    source: SOURCE,
    subject: cameraId,
    data: { cameraId, status, since: at(), adminUnitCode: '79-760' },
  });
}

export function aTrafficEvent(segmentId: string, speedKmh = 12): IocEvent {
  return createEvent(EventTypes.trafficCongestionChanged, {
    source: SOURCE,
    subject: segmentId,
    data: {
      segmentId,
      level: 'congested',
      speedKmh,
      freeFlowSpeedKmh: 50,
      observedAt: at(),
      adminUnitCode: '79-760',
    },
  });
}

export function aKpiEvent(
  kpiCode: string,
  value: number,
  periodStart = '2026-05-01T00:00:00.000Z',
): IocEvent {
  const dimension = { kind: 'city' as const, code: '79' };
  return createEvent(EventTypes.kpiUpdated, {
    source: SOURCE,
    subject: kpiUpdateSubject(kpiCode, dimension, 'hour', periodStart),
    data: {
      kpiCode,
      dimension,
      period: 'hour',
      periodStart,
      periodEnd: new Date(Date.parse(periodStart) + 3_600_000).toISOString(),
      value,
      direction: 'at-most',
      sampleCount: 1,
      lateCount: 0,
      computedAt: at(),
    },
  });
}
