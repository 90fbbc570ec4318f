import { EventTypes } from '@ioc/contracts';
import { type Assignment, Report } from './report';
import { InvalidTransitionError, ReopenWindowClosedError } from './report.errors';

const HOUR = 3_600_000;
const T0 = new Date('2026-03-02T03:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

const toWard: Assignment = {
  agencyId: 'AG-W1',
  by: { kind: 'routing-rule', ruleId: 'R-1' },
  ackWithinMs: HOUR,
  resolveWithinMs: 24 * HOUR,
};

function aSubmittedReport(): Report {
  return Report.submit(
    {
      id: '00000000-0000-4000-8000-000000000001',
      trackingCode: 'CODE-1',
      secretHash: Buffer.alloc(32),
      channel: 'app',
      categoryCode: 'potholes',
      description: 'Deep pothole',
      addressText: null,
      location: { lat: 5, lon: 2 },
      adminUnitCodes: ['C.W1', 'C'],
      reporter: { name: 'Lê Văn Riêng', phone: '0900000001', email: null },
      attachmentCount: 0,
    },
    'citizen',
    T0,
  );
}

function aResolvedReport(): Report {
  const report = aSubmittedReport();
  report.assign(toWard, T0);
  report.acknowledge('AG-W1', later(HOUR / 2));
  report.resolve('AG-W1', 'Filled', later(HOUR));
  report.pullChanges();
  return report;
}

describe(Report.name, () => {
  it('records each transition as a timeline line and an event carrying the status it led to', () => {
    const report = aSubmittedReport();
    report.assign(toWard, T0);
    report.acknowledge('AG-W1', later(HOUR / 2));

    const { events, timeline } = report.pullChanges();
    expect(events.map((e) => [e.type, e.data.status])).toEqual([
      [EventTypes.reportSubmitted, 'submitted'],
      [EventTypes.reportAssigned, 'assigned'],
      [EventTypes.reportAcknowledged, 'acknowledged'],
    ]);
    expect(timeline.map((line) => [line.action, line.status, line.actor, line.actorId])).toEqual([
      ['submit', 'submitted', 'citizen', null],
      ['assign', 'assigned', 'system', 'R-1'],
      ['acknowledge', 'acknowledged', 'agency', 'AG-W1'],
    ]);
    expect(report).toMatchObject({
      status: 'acknowledged',
      ackDueAt: later(HOUR),
      acknowledgedAt: later(HOUR / 2),
      updatedAt: later(HOUR / 2),
    });
    expect(report.pullChanges()).toEqual({ events: [], timeline: [] });
  });

  it.each<[string, (report: Report) => void]>([
    ['acknowledge', (r) => r.acknowledge('AG-W1', later(HOUR))],
    ['start', (r) => r.start('AG-W1', later(HOUR))],
    ['resolve', (r) => r.resolve('AG-W1', 'Done', later(HOUR))],
    ['close', (r) => r.close('citizen', later(HOUR))],
    ['rate', (r) => r.rate(5, undefined, later(HOUR))],
    ['confirm-duplicate', (r) => r.confirmDuplicate('op-1', later(HOUR))],
    ['overdue:acknowledge', (r) => r.markOverdue('ack', later(HOUR))],
  ])(
    'refuses %s on a submitted report with REPORT.INVALID_TRANSITION and records nothing',
    (action, apply) => {
      const report = aSubmittedReport();
      report.pullChanges();
      const before = report.snapshot();

      let thrown: unknown;
      try {
        apply(report);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidTransitionError);
      expect(thrown).toMatchObject({
        code: 'REPORT.INVALID_TRANSITION',
        details: { status: 'submitted', action },
      });
      expect(report.snapshot()).toEqual(before);
      expect(report.pullChanges()).toEqual({ events: [], timeline: [] });
    },
  );

  it('closes the same way for the citizen and for the system, each named in the event', () => {
    for (const by of ['citizen', 'system'] as const) {
      const report = aResolvedReport();
      report.close(by, later(2 * HOUR));
      const { events, timeline } = report.pullChanges();
      expect(report).toMatchObject({ status: 'closed', closedAt: later(2 * HOUR) });
      expect(events).toMatchObject([
        { type: EventTypes.reportClosed, data: { closedBy: by, status: 'closed' } },
      ]);
      expect(timeline).toMatchObject([{ action: 'close', actor: by, public: true, note: null }]);
    }
  });

  it('marks a missed deadline once, without touching the status or updatedAt, and afresh after a new assignment', () => {
    const report = aSubmittedReport();
    report.assign(toWard, T0);
    report.pullChanges();
    expect(() => report.markOverdue('ack', later(HOUR / 2))).toThrow(InvalidTransitionError);

    report.markOverdue('ack', later(2 * HOUR));
    expect(report).toMatchObject({ status: 'assigned', ackOverdueAt: later(2 * HOUR), updatedAt: T0 });
    expect(report.pullChanges()).toMatchObject({
      events: [
        { type: EventTypes.reportOverdue, data: { breach: 'acknowledge', dueAt: later(HOUR).toISOString() } },
      ],
      timeline: [{ action: 'overdue:acknowledge', actor: 'system', public: false }],
    });
    expect(() => report.markOverdue('ack', later(3 * HOUR))).toThrow(InvalidTransitionError);

    report.assign({ ...toWard, by: { kind: 'operator', operatorId: 'op-1' } }, later(3 * HOUR));
    expect(report.ackOverdueAt).toBeNull();
    report.markOverdue('ack', later(5 * HOUR));
    expect(report.ackOverdueAt).toEqual(later(5 * HOUR));
  });

  it('reopens within the window only, clearing the answer', () => {
    const report = aResolvedReport();
    expect(() => report.reopen('Still there', HOUR, later(3 * HOUR))).toThrow(ReopenWindowClosedError);
    report.reopen('Still there', HOUR, later(HOUR + HOUR / 2));
    expect(report).toMatchObject({ status: 'reopened', answer: null, resolvedAt: null, reopenCount: 1 });
    // The citizen's words stay internal: they may hold a phone number.
    expect(report.pullChanges().timeline).toMatchObject([
      { action: 'reopen', note: 'Still there', public: false },
    ]);
  });
});
