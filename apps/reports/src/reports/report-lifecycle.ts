import type { ReportStatus } from '@ioc/contracts';
import { InvalidTransitionError } from './report.errors';

/** What can happen to a report; each moves it along one edge of the lifecycle (apps/reports/README.md). */
export type ReportAction =
  | 'assign'
  | 'acknowledge'
  | 'start'
  | 'resolve'
  | 'decline'
  | 'reject'
  | 'close'
  | 'reopen'
  | 'link-duplicate'
  | 'dismiss-duplicate';

const EDGES: Record<ReportAction, { from: readonly ReportStatus[]; to: ReportStatus }> = {
  // Routing, an operator's assignment from triage, a re-assignment of an open report, or a reopened report
  // going back to its agency.
  assign: {
    from: ['submitted', 'declined', 'reopened', 'assigned', 'acknowledged', 'in-progress'],
    to: 'assigned',
  },
  acknowledge: { from: ['assigned'], to: 'acknowledged' },
  start: { from: ['acknowledged'], to: 'in-progress' },
  resolve: { from: ['acknowledged', 'in-progress'], to: 'resolved' },
  // Declined goes back to the operators' triage queue.
  decline: { from: ['assigned', 'acknowledged'], to: 'declined' },
  reject: {
    from: ['submitted', 'declined', 'duplicate', 'assigned', 'acknowledged', 'in-progress', 'reopened'],
    to: 'rejected',
  },
  close: { from: ['resolved'], to: 'closed' },
  // The reopen window is checked by the service; a report closed by its confirmation window may reopen too.
  reopen: { from: ['resolved', 'closed'], to: 'reopened' },
  // A new report near an open one of the same category waits, linked, for an operator to confirm.
  'link-duplicate': { from: ['submitted'], to: 'duplicate' },
  // The operator judged it a distinct problem: it is routed like a new report.
  'dismiss-duplicate': { from: ['duplicate'], to: 'submitted' },
};

/**
 * The status after `action`, or {@link InvalidTransitionError} (409 with the current status) when the
 * lifecycle has no such edge.
 */
export function nextStatus(current: ReportStatus, action: ReportAction): ReportStatus {
  const edge = EDGES[action];
  if (!edge.from.includes(current)) throw new InvalidTransitionError(current, action);
  return edge.to;
}

/** Whether `action` is allowed in `current`. */
export function canApply(current: ReportStatus, action: ReportAction): boolean {
  return EDGES[action].from.includes(current);
}
