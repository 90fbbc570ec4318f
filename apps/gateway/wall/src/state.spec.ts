import { aKpiUpdate, aLiveReport, anIncidentEvent, aReportEvent, aSnapshot } from './fixtures';
import { canSee, FEED_LENGTH, SPARKLINE_POINTS, upsertPoint, WallStore } from './state';

describe(WallStore.name, () => {
  it('starts from the snapshot and applies a change after it', () => {
    const sut = new WallStore();
    sut.applySnapshot(aSnapshot({ reports: [aLiveReport()] }));
    expect(sut.applyEvent(aReportEvent({ reportId: 'R-1' }))).toBe(true);
    expect([...sut.reports.keys()].sort()).toEqual(['R-1', 'R-9']);
    expect(sut.feed).toHaveLength(1);
    expect(sut.feed[0]).toMatchObject({ stream: 'reports', itemId: 'R-1' });
  });

  it('never lets a late, older change overwrite a newer one', () => {
    const sut = new WallStore();
    sut.applyEvent(
      aReportEvent({ status: 'assigned', agencyId: 'AG-1', occurredAt: '2025-09-01T02:00:00Z' }),
    );
    expect(sut.applyEvent(aReportEvent({ status: 'submitted', occurredAt: '2025-09-01T01:00:00Z' }))).toBe(
      false,
    );
    expect(sut.reports.get('R-1')?.status).toBe('assigned');
  });

  it('compares instants, not their text (a fraction of a second sorts before Z as text)', () => {
    const sut = new WallStore();
    sut.applyEvent(anIncidentEvent({ status: 'open', occurredAt: '2025-09-01T02:00:00Z' }));
    sut.applyEvent(
      anIncidentEvent(
        { status: 'acknowledged', occurredAt: '2025-09-01T02:00:00.500Z' },
        'ioc.incident.acknowledged.v1',
      ),
    );
    expect(sut.incidents.get('INC-1')?.status).toBe('acknowledged');
  });

  it('is idempotent: the same event twice leaves the same state and one feed line', () => {
    const sut = new WallStore();
    const event = anIncidentEvent();
    sut.applyEvent(event);
    sut.applyEvent(event);
    expect(sut.incidents.size).toBe(1);
    expect(sut.feed).toHaveLength(1);
  });

  it('removes cleared incidents and finished reports from the map', () => {
    const sut = new WallStore();
    sut.applyEvent(anIncidentEvent());
    sut.applyEvent(
      anIncidentEvent({ status: 'cleared', occurredAt: '2025-09-01T03:00:00Z' }, 'ioc.incident.cleared.v1'),
    );
    sut.applyEvent(aReportEvent());
    sut.applyEvent(
      aReportEvent({ status: 'closed', occurredAt: '2025-09-02T00:00:00Z' }, 'ioc.report.closed.v1'),
    );
    expect(sut.incidents.size).toBe(0);
    expect(sut.reports.size).toBe(0);
  });

  it('marks a report overdue until it is resolved or re-assigned', () => {
    const sut = new WallStore();
    sut.applyEvent(aReportEvent({ status: 'assigned', agencyId: 'AG-1' }, 'ioc.report.assigned.v1'));
    sut.applyEvent(
      aReportEvent(
        { status: 'assigned', agencyId: 'AG-1', occurredAt: '2025-09-01T05:00:00Z' },
        'ioc.report.overdue.v1',
      ),
    );
    expect(sut.reports.get('R-1')?.overdue).toBe(true);
    sut.applyEvent(
      aReportEvent(
        { status: 'acknowledged', agencyId: 'AG-1', occurredAt: '2025-09-01T06:00:00Z' },
        'ioc.report.acknowledged.v1',
      ),
    );
    expect(sut.reports.get('R-1')?.overdue).toBe(true);
    sut.applyEvent(
      aReportEvent(
        { status: 'assigned', agencyId: 'AG-2', occurredAt: '2025-09-01T07:00:00Z' },
        'ioc.report.assigned.v1',
      ),
    );
    expect(sut.reports.get('R-1')?.overdue).toBe(false);
  });

  it('shows an agency only what is assigned to it, and drops an item re-assigned away from it', () => {
    const sut = new WallStore({ roles: ['agency'], agencyId: 'AG-1' });
    sut.applySnapshot(
      aSnapshot({
        reports: [aLiveReport({ agencyId: 'AG-1' }), aLiveReport({ reportId: 'R-X', agencyId: 'AG-2' })],
      }),
    );
    expect([...sut.reports.keys()]).toEqual(['R-9']);
    sut.applyEvent(anIncidentEvent({ agencyId: 'AG-2' }));
    expect(sut.incidents.size).toBe(0);
    sut.applyEvent(
      aReportEvent({
        reportId: 'R-9',
        status: 'assigned',
        agencyId: 'AG-3',
        occurredAt: '2025-09-02T00:00:00Z',
      }),
    );
    expect(sut.reports.size).toBe(0);
  });

  it('keeps a KPI per period with its sparkline points, a newer period replacing the current value', () => {
    const sut = new WallStore();
    sut.applyEvent(aKpiUpdate({ value: 70, computedAt: '2025-09-01T03:00:00Z' }));
    sut.applyEvent(aKpiUpdate({ value: 80, computedAt: '2025-09-01T04:00:00Z' }));
    sut.applyEvent(
      aKpiUpdate({
        value: 50,
        periodStart: '2025-09-01T17:00:00Z',
        periodEnd: '2025-09-02T17:00:00Z',
        computedAt: '2025-09-01T18:00:00Z',
      }),
    );
    // A late recomputation of the previous day updates its point, not the current value.
    sut.applyEvent(aKpiUpdate({ value: 82, computedAt: '2025-09-01T19:00:00Z' }));
    const [tile] = sut.tiles({ kind: 'city' });
    expect(tile.current.value).toBe(50);
    expect(tile.points.map((p) => p.value)).toEqual([82, 50]);
  });

  it('shows one tile per KPI for the asked dimension, preferring the day', () => {
    const sut = new WallStore();
    sut.applyEvent(aKpiUpdate({ period: 'month', value: 1 }));
    sut.applyEvent(aKpiUpdate({ period: 'day', value: 2 }));
    sut.applyEvent(aKpiUpdate({ kpiCode: 'other', dimension: { kind: 'agency', code: 'AG-1' } }));
    expect(sut.tiles({ kind: 'city' }).map((t) => t.current.value)).toEqual([2]);
    expect(sut.tiles({ kind: 'agency', code: 'AG-1' }).map((t) => t.current.kpiCode)).toEqual(['other']);
    expect(sut.tiles({ kind: 'agency', code: 'AG-2' })).toEqual([]);
  });

  it('keeps the feed bounded, newest first', () => {
    const sut = new WallStore();
    for (let i = 0; i < FEED_LENGTH + 5; i += 1) {
      sut.applyEvent(
        aReportEvent({ reportId: `R-${i}`, occurredAt: new Date(Date.UTC(2025, 8, 1, 0, i)).toISOString() }),
      );
    }
    expect(sut.feed).toHaveLength(FEED_LENGTH);
    expect(sut.feed[0].itemId).toBe(`R-${FEED_LENGTH + 4}`);
  });

  it('a snapshot replaces everything it holds', () => {
    const sut = new WallStore();
    sut.applyEvent(anIncidentEvent());
    sut.applySnapshot(aSnapshot({ reports: [aLiveReport()] }));
    expect(sut.incidents.size).toBe(0);
    expect([...sut.reports.keys()]).toEqual(['R-9']);
  });
});

describe(upsertPoint.name, () => {
  it('replaces the point of the same period and keeps the last points in order', () => {
    let points = upsertPoint([], { periodStart: '2025-09-02T00:00:00Z', value: 2 });
    points = upsertPoint(points, { periodStart: '2025-09-01T00:00:00Z', value: 1 });
    points = upsertPoint(points, { periodStart: '2025-09-02T00:00:00.000Z', value: 3 });
    expect(points).toEqual([
      { periodStart: '2025-09-01T00:00:00Z', value: 1 },
      { periodStart: '2025-09-02T00:00:00.000Z', value: 3 },
    ]);
    for (let day = 3; day < 60; day += 1) {
      points = upsertPoint(points, {
        periodStart: new Date(Date.UTC(2025, 8, day)).toISOString(),
        value: day,
      });
    }
    expect(points).toHaveLength(SPARKLINE_POINTS);
    expect(points[points.length - 1].value).toBe(59);
  });
});

describe(canSee.name, () => {
  it('lets operators see everything and agencies only their own', () => {
    expect(canSee({ roles: ['operator'] }, undefined)).toBe(true);
    expect(canSee({ roles: ['agency'], agencyId: 'A' }, 'A')).toBe(true);
    expect(canSee({ roles: ['agency'], agencyId: 'A' }, 'B')).toBe(false);
    expect(canSee({ roles: ['agency'], agencyId: 'A' }, undefined)).toBe(false);
    expect(canSee({ roles: ['agency'] }, undefined)).toBe(false);
  });
});
