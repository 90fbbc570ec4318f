import { EventTypes, type ReportChannel, type ReportStatus } from '@ioc/contracts';
import {
  reportEventData,
  type ReportDomainEvent,
  type ReportEventExtra,
  type ReportEventType,
} from './report-events';
import { nextStatus, type ReportAction } from './report-lifecycle';
import { AlreadyRatedError, InvalidTransitionError, ReopenWindowClosedError } from './report.errors';

/** A reporter's contact data: personal data, shown only to the agency the report is assigned to. */
export interface ReporterContact {
  readonly name: string | null;
  readonly phone: string | null;
  readonly email: string | null;
}

/** Who made a change, as the timeline records it. */
export type Actor = 'citizen' | 'agency' | 'operator' | 'system' | 'channel';

/** One line of a report's history. `public` lines are shown on public tracking; internal notes are not. */
export interface TimelineEntry {
  readonly reportId: string;
  readonly at: Date;
  readonly action: string;
  readonly status: ReportStatus;
  readonly actor: Actor;
  readonly actorId: string | null;
  readonly note: string | null;
  readonly public: boolean;
}

/** Statuses in which a report is still being handled (an SLA clock may run, a duplicate may link to it). */
export const OPEN_STATUSES: readonly ReportStatus[] = [
  'submitted',
  'assigned',
  'acknowledged',
  'in-progress',
  'reopened',
  'declined',
];

/** The operators' triage queue: not routed, handed back by an agency, reopened without a rule, likely duplicates. */
export const TRIAGE_STATUSES: readonly ReportStatus[] = ['submitted', 'declined', 'reopened', 'duplicate'];

/** Statuses in which each SLA deadline runs: acknowledging ends the first, resolving the second. */
const DEADLINE_STATUSES: Record<SlaDeadline, readonly ReportStatus[]> = {
  ack: ['assigned'],
  resolve: ['assigned', 'acknowledged', 'in-progress'],
};

/** The two SLA deadlines of an assignment. */
export type SlaDeadline = 'ack' | 'resolve';

/** Everything a report holds, as stored. */
export interface ReportState {
  id: string;
  trackingCode: string;
  secretHash: Buffer;
  status: ReportStatus;
  channel: ReportChannel;
  categoryCode: string;
  description: string;
  addressText: string | null;
  location: { readonly lat: number; readonly lon: number };
  adminUnitCodes: readonly string[];
  agencyId: string | null;
  reporter: ReporterContact;
  attachmentCount: number;
  submittedAt: Date;
  updatedAt: Date;
  assignedAt: Date | null;
  ackDueAt: Date | null;
  resolveDueAt: Date | null;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  ackOverdueAt: Date | null;
  resolveOverdueAt: Date | null;
  answer: string | null;
  reopenCount: number;
  rating: number | null;
  ratingComment: string | null;
  duplicateOf: string | null;
}

/** What a new report starts from: the citizen's or channel's input, placed and given its credentials. */
export type NewReportState = Pick<
  ReportState,
  | 'id'
  | 'trackingCode'
  | 'secretHash'
  | 'channel'
  | 'categoryCode'
  | 'description'
  | 'addressText'
  | 'location'
  | 'adminUnitCodes'
  | 'reporter'
  | 'attachmentCount'
>;

/** Where an assignment sends the report, and the deadlines of the report's category. */
export interface Assignment {
  agencyId: string;
  /** The routing rule, or the operator, that decided it. */
  by: { kind: 'routing-rule'; ruleId: string } | { kind: 'operator'; operatorId: string };
  ackWithinMs: number;
  resolveWithinMs: number;
}

/** What a change produced, to be written with the report in one transaction. */
export interface ReportChanges {
  readonly events: readonly ReportDomainEvent[];
  readonly timeline: readonly TimelineEntry[];
}

export type RejectionKind = 'spam' | 'duplicate' | 'out-of-scope';

/**
 * The report aggregate: its state and the rules of its life. Each transition checks the lifecycle (an invalid
 * one throws {@link InvalidTransitionError}, REPORT.INVALID_TRANSITION), changes the state and records its
 * timeline lines and domain events; {@link pullChanges} hands them over to be written with the report. The
 * fields are read-only from outside: only the transitions change a report.
 */
// The interface gives the class the state's fields, read-only to other code; the constructor assigns them.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface Report extends Readonly<ReportState> {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Report {
  #events: ReportDomainEvent[] = [];
  #timeline: TimelineEntry[] = [];

  private constructor(state: ReportState) {
    Object.assign(this, state);
  }

  /** A report as stored, with nothing pending. */
  static restore(state: ReportState): Report {
    return new Report(state);
  }

  /** A new report, `submitted` by a citizen or handed over by a channel. */
  static submit(input: NewReportState, by: 'citizen' | 'channel', at: Date, externalId?: string): Report {
    // Field by field rather than `...input`: adding the rest to a spread copy took V8's slow path (10x slower).
    const report = new Report({
      id: input.id,
      trackingCode: input.trackingCode,
      secretHash: input.secretHash,
      status: 'submitted',
      channel: input.channel,
      categoryCode: input.categoryCode,
      description: input.description,
      addressText: input.addressText,
      location: input.location,
      adminUnitCodes: input.adminUnitCodes,
      agencyId: null,
      reporter: input.reporter,
      attachmentCount: input.attachmentCount,
      submittedAt: at,
      updatedAt: at,
      assignedAt: null,
      ackDueAt: null,
      resolveDueAt: null,
      acknowledgedAt: null,
      resolvedAt: null,
      closedAt: null,
      ackOverdueAt: null,
      resolveOverdueAt: null,
      answer: null,
      reopenCount: 0,
      rating: null,
      ratingComment: null,
      duplicateOf: null,
    });
    report.note(at, 'submit', by, null, null, true);
    report.emit(EventTypes.reportSubmitted, at, {
      ...(externalId === undefined ? {} : { externalId }),
      attachmentCount: input.attachmentCount,
    });
    return report;
  }

  /** A copy of the state, e.g. for a store that keeps plain data. */
  snapshot(): ReportState {
    return {
      ...(this as ReportState),
      location: { ...this.location },
      adminUnitCodes: [...this.adminUnitCodes],
      reporter: { ...this.reporter },
    };
  }

  /** The timeline lines and events recorded since the last call, which clears them. */
  pullChanges(): ReportChanges {
    const changes = { events: this.#events, timeline: this.#timeline };
    this.#events = [];
    this.#timeline = [];
    return changes;
  }

  // --- routing -----------------------------------------------------------------------------------------

  /** A new report near an open one of the same category waits, linked, for an operator to decide. */
  linkDuplicate(originalId: string, at: Date): void {
    this.transition(at, 'link-duplicate', 'system', null, null);
    this.state.duplicateOf = originalId;
    this.emit(EventTypes.reportDuplicateLinked, at, { duplicateOf: originalId });
  }

  /** Assignment with its SLA deadlines, counted from the moment of assignment. */
  assign(assignment: Assignment, at: Date): void {
    const { agencyId, by } = assignment;
    const previousAgencyId = this.agencyId;
    if (by.kind === 'operator') this.transition(at, 'assign', 'operator', by.operatorId, null);
    else this.transition(at, 'assign', 'system', by.ruleId, null);
    const state = this.state;
    state.agencyId = agencyId;
    state.assignedAt = at;
    state.acknowledgedAt = null;
    state.ackDueAt = new Date(at.getTime() + assignment.ackWithinMs);
    state.resolveDueAt = new Date(at.getTime() + assignment.resolveWithinMs);
    // A new assignment is judged on its own deadlines, so its breaches are announced afresh.
    state.ackOverdueAt = null;
    state.resolveOverdueAt = null;
    this.emit(EventTypes.reportAssigned, at, {
      agencyId,
      ...(previousAgencyId === null || previousAgencyId === agencyId ? {} : { previousAgencyId }),
      assignedBy: by.kind,
      ackDueAt: state.ackDueAt.toISOString(),
      resolveDueAt: state.resolveDueAt.toISOString(),
    });
  }

  /** Routes by the rule in force (a reopened report, a dismissed duplicate); without one it waits in triage. */
  route(assignment: Assignment | undefined, at: Date): void {
    if (assignment) this.assign(assignment, at);
    else this.clearAssignment();
  }

  // --- agencies ----------------------------------------------------------------------------------------

  acknowledge(agencyId: string | null, at: Date): void {
    this.transition(at, 'acknowledge', 'agency', agencyId, null);
    this.state.acknowledgedAt = at;
    this.emit(EventTypes.reportAcknowledged, at, { ackDueAt: iso(this.ackDueAt, at) });
  }

  start(agencyId: string | null, at: Date): void {
    this.transition(at, 'start', 'agency', agencyId, null);
    this.emit(EventTypes.reportStarted, at, {});
  }

  resolve(agencyId: string | null, answer: string, at: Date): void {
    this.transition(at, 'resolve', 'agency', agencyId, answer);
    this.state.resolvedAt = at;
    this.state.answer = answer;
    this.emit(EventTypes.reportResolved, at, {
      answerSummary: answer.slice(0, 2000),
      resolveDueAt: iso(this.resolveDueAt, at),
    });
  }

  /** The agency hands the report back: it leaves the agency's list for the operators' triage queue. */
  decline(agencyId: string | null, reason: string, at: Date): void {
    const declinedBy = this.agencyId ?? '';
    this.transition(at, 'decline', 'agency', agencyId, reason);
    this.clearAssignment();
    this.emit(EventTypes.reportDeclined, at, { agencyId: declinedBy, reason });
  }

  /** An internal note; no status change, no event. */
  comment(agencyId: string | null, text: string, at: Date): void {
    if (!OPEN_STATUSES.includes(this.status)) throw new InvalidTransitionError(this.status, 'comment');
    this.touch(at);
    this.note(at, 'comment', 'agency', agencyId, text, false);
  }

  // --- operators ---------------------------------------------------------------------------------------

  reject(operatorId: string, kind: RejectionKind, reason: string, at: Date): void {
    const note = `${kind}: ${reason}`;
    this.transition(at, 'reject', 'operator', operatorId, note);
    this.clearAssignment();
    this.state.closedAt = at;
    this.emit(EventTypes.reportRejected, at, { reason: note.slice(0, 1000) });
  }

  /** The operator agrees the report duplicates the one it is linked to: it is rejected as a duplicate. */
  confirmDuplicate(operatorId: string, at: Date): void {
    if (this.status !== 'duplicate' || this.duplicateOf === null)
      throw new InvalidTransitionError(this.status, 'confirm-duplicate');
    const reason = `duplicate: of report ${this.duplicateOf}`;
    this.transition(at, 'reject', 'operator', operatorId, reason);
    this.state.closedAt = at;
    this.emit(EventTypes.reportRejected, at, { reason });
  }

  /** The operator judges the report a distinct problem: the link goes; the caller routes it like a new one. */
  dismissDuplicate(operatorId: string, at: Date): void {
    this.transition(at, 'dismiss-duplicate', 'operator', operatorId, null, false);
    this.state.duplicateOf = null;
  }

  // --- citizens and the system -------------------------------------------------------------------------

  /** Closes a resolved report: the citizen accepted the answer, or the system's confirmation window ran out. */
  close(by: 'citizen' | 'system', at: Date): void {
    this.transition(at, 'close', by, null, null);
    this.state.closedAt = at;
    this.emit(EventTypes.reportClosed, at, { closedBy: by });
  }

  /** The citizen rejects the answer within `windowMs` of it; the caller routes the report again. */
  reopen(reason: string, windowMs: number, at: Date): void {
    const answeredAt = this.resolvedAt?.getTime();
    if (
      (this.status === 'resolved' || this.status === 'closed') &&
      (answeredAt === undefined || at.getTime() - answeredAt > windowMs)
    )
      throw new ReopenWindowClosedError(this.status);
    // The citizen's words may hold a phone number: kept on an internal line, not shown publicly.
    this.transition(at, 'reopen', 'citizen', null, reason, false);
    const state = this.state;
    state.reopenCount += 1;
    state.resolvedAt = null;
    state.closedAt = null;
    state.answer = null;
    this.emit(EventTypes.reportReopened, at, { reason, reopenCount: state.reopenCount });
  }

  rate(rating: number, comment: string | undefined, at: Date): void {
    if (this.status !== 'resolved' && this.status !== 'closed')
      throw new InvalidTransitionError(this.status, 'rate');
    if (this.rating !== null) throw new AlreadyRatedError(this.status);
    this.state.rating = rating;
    this.state.ratingComment = comment ?? null;
    this.touch(at);
    this.note(at, 'rate', 'citizen', null, `${rating}/5`, true);
    this.emit(EventTypes.reportRated, at, { rating });
  }

  /**
   * Marks a missed SLA deadline, once per assignment. The status does not change, nor does `updatedAt`: a
   * breach is the system's observation, not a step in the report's handling.
   */
  markOverdue(deadline: SlaDeadline, at: Date): void {
    const breach = deadline === 'ack' ? 'acknowledge' : 'resolve';
    const [dueAt, markedAt] =
      deadline === 'ack' ? [this.ackDueAt, this.ackOverdueAt] : [this.resolveDueAt, this.resolveOverdueAt];
    if (
      dueAt === null ||
      dueAt > at ||
      markedAt !== null ||
      !DEADLINE_STATUSES[deadline].includes(this.status)
    )
      throw new InvalidTransitionError(this.status, `overdue:${breach}`);
    if (deadline === 'ack') this.state.ackOverdueAt = at;
    else this.state.resolveOverdueAt = at;
    this.note(at, `overdue:${breach}`, 'system', null, null, false);
    this.emit(EventTypes.reportOverdue, at, { breach, dueAt: dueAt.toISOString() });
  }

  // --- internals ---------------------------------------------------------------------------------------

  /** The same object, writable: the fields are read-only only to the code outside. */
  private get state(): ReportState {
    return this;
  }

  private clearAssignment(): void {
    const state = this.state;
    state.agencyId = null;
    state.assignedAt = null;
    state.ackDueAt = null;
    state.resolveDueAt = null;
  }

  private touch(at: Date): void {
    this.state.updatedAt = at;
  }

  private transition(
    at: Date,
    action: ReportAction,
    actor: Actor,
    actorId: string | null,
    note: string | null,
    isPublic = true,
  ): void {
    this.state.status = nextStatus(this.status, action);
    this.touch(at);
    this.note(at, action, actor, actorId, note, isPublic);
  }

  private note(
    at: Date,
    action: string,
    actor: Actor,
    actorId: string | null,
    note: string | null,
    isPublic: boolean,
  ): void {
    this.#timeline.push({
      reportId: this.id,
      at,
      action,
      status: this.status,
      actor,
      actorId,
      note,
      public: isPublic,
    });
  }

  private emit<K extends ReportEventType>(type: K, at: Date, extra: ReportEventExtra<K>): void {
    this.#events.push({ type, at, data: reportEventData(type, this, at, extra) });
  }
}

function iso(value: Date | null, fallback: Date): string {
  return (value ?? fallback).toISOString();
}
