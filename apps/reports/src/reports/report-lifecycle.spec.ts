import { REPORT_STATUSES, type ReportStatus } from '@ioc/contracts';
import { canApply, nextStatus, type ReportAction } from './report-lifecycle';
import { InvalidTransitionError } from './report.errors';

describe('report lifecycle', () => {
  it.each<[ReportStatus, ReportAction, ReportStatus]>([
    ['submitted', 'assign', 'assigned'],
    ['declined', 'assign', 'assigned'],
    ['reopened', 'assign', 'assigned'],
    ['in-progress', 'assign', 'assigned'],
    ['assigned', 'acknowledge', 'acknowledged'],
    ['acknowledged', 'start', 'in-progress'],
    ['acknowledged', 'resolve', 'resolved'],
    ['in-progress', 'resolve', 'resolved'],
    ['assigned', 'decline', 'declined'],
    ['submitted', 'reject', 'rejected'],
    ['resolved', 'close', 'closed'],
    ['resolved', 'reopen', 'reopened'],
    ['closed', 'reopen', 'reopened'],
  ])('%s --%s--> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  it.each<[ReportStatus, ReportAction]>([
    ['submitted', 'acknowledge'],
    ['assigned', 'start'],
    ['assigned', 'resolve'],
    ['resolved', 'acknowledge'],
    ['closed', 'close'],
    ['rejected', 'assign'],
    ['closed', 'assign'],
    ['in-progress', 'decline'],
    ['resolved', 'reject'],
    ['assigned', 'reopen'],
  ])('refuses %s --%s--> with the current status', (from, action) => {
    expect(canApply(from, action)).toBe(false);
    let thrown: unknown;
    try {
      nextStatus(from, action);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidTransitionError);
    expect(thrown).toMatchObject({ code: 'REPORT.INVALID_TRANSITION', details: { status: from, action } });
  });

  it('has no way out of a rejected report', () => {
    const actions: ReportAction[] = [
      'assign',
      'acknowledge',
      'start',
      'resolve',
      'decline',
      'reject',
      'close',
      'reopen',
    ];
    expect(actions.filter((action) => canApply('rejected', action))).toEqual([]);
    expect(REPORT_STATUSES).toContain('rejected');
  });
});
