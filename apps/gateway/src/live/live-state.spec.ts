import { createEvent, EventTypes, type KnownIocEvent, kpiUpdateSubject } from '@ioc/contracts';
import { KPI_POINTS, LiveState } from './live-state';

const SOURCE = '/ioc/gateway-specs';
const T = '2026-05-01T00:00:00.000Z';
const place = { lat: 10.77, lon: 106.7 };

const report = (reportId: string, extra: { agencyId?: string; previousAgencyId?: string } = {}) =>
  (extra.agencyId === undefined
    ? createEvent(EventTypes.reportSubmitted, {
        source: SOURCE,
        subject: reportId,
        data: {
          reportId,
          trackingCode: 'TC-0001',
          status: 'submitted',
          categoryCode: 'pothole',
          adminUnitCodes: ['79-760'],
          location: place,
          channel: 'web',
          submittedAt: T,
          occurredAt: T,
        },
      })
    : createEvent(EventTypes.reportAssigned, {
        source: SOURCE,
        subject: reportId,
        data: {
          reportId,
          trackingCode: 'TC-0001',
          status: 'assigned',
          categoryCode: 'pothole',
          adminUnitCodes: ['79-760'],
          location: place,
          channel: 'web',
          submittedAt: T,
          occurredAt: T,
          agencyId: extra.agencyId,
          ...(extra.previousAgencyId === undefined ? {} : { previousAgencyId: extra.previousAgencyId }),
          assignedBy: 'operator',
          ackDueAt: T,
          resolveDueAt: T,
        },
      })) as KnownIocEvent;

const incident = (
  incidentId: string,
  status: 'open' | 'cleared',
  agencyId?: string,
  severity = 'high' as const,
) =>
  (status === 'cleared'
    ? createEvent(EventTypes.incidentCleared, {
        source: SOURCE,
        subject: incidentId,
        data: {
          incidentId,
          source: 'camera',
          cameraId: 'cam-1',
          class: 'accident',
          severity,
          status,
          count: 1,
          firstSeenAt: T,
          lastSeenAt: T,
          location: place,
          occurredAt: T,
          clearedReason: 'resolved',
          ...(agencyId ? { agencyId } : {}),
        },
      })
    : createEvent(EventTypes.incidentOpened, {
        source: SOURCE,
        subject: incidentId,
        data: {
          incidentId,
          source: 'camera',
          cameraId: 'cam-1',
          class: 'accident',
          severity,
          status,
          count: 1,
          firstSeenAt: T,
          lastSeenAt: T,
          location: place,
          occurredAt: T,
          ...(agencyId ? { agencyId } : {}),
        },
      })) as KnownIocEvent;

const kpi = (value: number, hour: number) => {
  const periodStart = new Date(Date.parse(T) + hour * 3_600_000).toISOString();
  const dimension = { kind: 'city' as const, code: '79' };
  return createEvent(EventTypes.kpiUpdated, {
    source: SOURCE,
    subject: kpiUpdateSubject('k', dimension, 'hour', periodStart),
    data: {
      kpiCode: 'k',
      dimension,
      period: 'hour',
      periodStart,
      periodEnd: new Date(Date.parse(periodStart) + 3_600_000).toISOString(),
      value,
      direction: 'at-most',
      sampleCount: 1,
      lateCount: 0,
      computedAt: T,
    },
  }) as KnownIocEvent;
};

const all = () => true;

describe(LiveState.name, () => {
  it('routes a reassignment to the agency it leaves and the one it joins, then only the new one', () => {
    const state = new LiveState();
    expect(state.apply('reports', report('r1', { agencyId: 'a' })).agencies).toEqual(['a']);
    expect([...state.apply('reports', report('r1', { agencyId: 'b' })).agencies].sort()).toEqual(['a', 'b']);
    expect(state.apply('reports', report('r1', { agencyId: 'b' })).agencies).toEqual(['b']);
    // Incidents say nothing of the agency before: the state remembers it.
    state.apply('incidents', incident('i1', 'open', 'a'));
    expect([...state.apply('incidents', incident('i1', 'open', 'b')).agencies].sort()).toEqual(['a', 'b']);
  });

  it('snapshots open items only, as they stand after the last change', () => {
    const state = new LiveState();
    state.apply('reports', report('r1'));
    state.apply('reports', report('r1', { agencyId: 'a' }));
    state.apply('incidents', incident('i1', 'open'));
    state.apply('incidents', incident('i2', 'open'));
    state.apply('incidents', incident('i2', 'cleared'));
    const snapshot = state.snapshot(all);
    expect(snapshot.reports).toEqual([
      expect.objectContaining({ reportId: 'r1', status: 'assigned', agencyId: 'a' }),
    ]);
    expect(snapshot.incidents.map((item) => item.incidentId)).toEqual(['i1']);
  });

  it('keeps the last points of a KPI, oldest first, and its current value', () => {
    const state = new LiveState();
    for (let hour = 0; hour < KPI_POINTS + 5; hour++) state.apply('kpi', kpi(hour, hour));
    state.apply('kpi', kpi(99, KPI_POINTS + 4));
    const [series] = state.snapshot(all).kpis;
    expect(series.points).toHaveLength(KPI_POINTS);
    expect(series.points[0].value).toBe(5);
    expect(series.current.value).toBe(99);
  });

  it('keeps from a snapshot what the client may not see', () => {
    const state = new LiveState();
    state.apply('reports', report('mine', { agencyId: 'a' }));
    state.apply('reports', report('theirs', { agencyId: 'b' }));
    const snapshot = state.snapshot((routing) => routing.agencies.includes('a'));
    expect(snapshot.reports.map((item) => item.reportId)).toEqual(['mine']);
  });
});
