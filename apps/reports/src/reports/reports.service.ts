import { createHash } from 'node:crypto';
import { assertAgencyScope, type Principal } from '@ioc/auth';
import { EventTypes, type IocEvent, type ReportChannel, type ReportStatus } from '@ioc/contracts';
import { Injectable } from '@nestjs/common';
import { type CategoryRules, ReferenceCatalog } from '../reference/reference-catalog';
import { degreesAround, distanceMeters } from '../shared/geo';
import { type CleanPhoto, PhotoSanitizer } from '../photos/photo-sanitizer';
import { Clock, hashSecret, IdGenerator, secretMatches } from '../shared/ports';
import { type Tx, UnitOfWork } from '@ioc/database';
import { idempotencyLookup, openReceipt, sealReceipt } from './idempotent-receipt';
import { OPEN_STATUSES, type Actor, type Report, type TimelineEntry, TRIAGE_STATUSES } from './report';
import { ReportEventPublisher } from './report-event.publisher';
import { reportEvent, type ReportEventExtra, type ReportEventType } from './report-events';
import { nextStatus, type ReportAction } from './report-lifecycle';
import {
  AlreadyRatedError,
  ConcurrentRegistrationError,
  IdempotencyKeyReusedError,
  InvalidPhotoError,
  PhotoTooManyPixelsError,
  InvalidReportSecretError,
  PhotoNotFoundError,
  TooManyPhotosError,
  InvalidTransitionError,
  OutsideCityError,
  ReopenWindowClosedError,
  ReportNotFoundError,
  UnknownAgencyError,
  UnknownCategoryError,
} from './report.errors';
import { type PhotoKind, type ReportFilter, ReportsRepository } from './reports.repository';
import { ReportsPolicy } from './reports.policy';

/** A report as a citizen or a channel hands it in. */
export interface NewReport {
  channel: ReportChannel;
  categoryCode: string;
  description: string;
  location: { lat: number; lon: number };
  addressText?: string;
  reporter?: { name?: string; phone?: string; email?: string };
  attachmentCount?: number;
  /** The report's id in the originating channel. */
  externalId?: string;
}

/** The answer to a submission: the only time the secret is shown. */
export interface SubmissionReceipt {
  id: string;
  trackingCode: string;
  secret: string;
  status: ReportStatus;
  submittedAt: string;
}

/** What anyone with the tracking code may see: no description, no contact data (DESIGN "Privacy"). */
export interface PublicReportView {
  trackingCode: string;
  status: ReportStatus;
  categoryCode: string;
  addressText: string | null;
  location: { lat: number; lon: number };
  submittedAt: string;
  updatedAt: string;
  answer: string | null;
  /** Photos of the answer, at `GET /reports/track/{code}/answer-photos/{n}` for n < answerPhotoCount. */
  answerPhotoCount: number;
  resolvedAt: string | null;
  closedAt: string | null;
  rating: number | null;
  timeline: { at: string; action: string; status: ReportStatus; note: string | null }[];
}

/** What agencies and operators see; `reporter` only for the agency the report is assigned to. */
export interface ReportView {
  id: string;
  trackingCode: string;
  status: ReportStatus;
  channel: ReportChannel;
  categoryCode: string;
  description: string;
  addressText: string | null;
  location: { lat: number; lon: number };
  adminUnitCodes: string[];
  agencyId: string | null;
  attachmentCount: number;
  submittedAt: string;
  updatedAt: string;
  ackDueAt: string | null;
  resolveDueAt: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  ackOverdue: boolean;
  resolveOverdue: boolean;
  answer: string | null;
  reopenCount: number;
  rating: number | null;
  ratingComment: string | null;
  /** The report this one likely duplicates, while an operator has not dismissed the link. */
  duplicateOf: string | null;
  reporter?: { name: string | null; phone: string | null; email: string | null };
  /** Reports linked to this one as likely duplicates (in the single-report view). */
  duplicateCount?: number;
  timeline?: { at: string; action: string; status: ReportStatus; actor: Actor; note: string | null }[];
}

export interface ReportPage {
  items: ReportView[];
  total: number;
  limit: number;
  offset: number;
}

export type RejectionKind = 'spam' | 'duplicate' | 'out-of-scope';

/** A change in progress: the report, its new events and timeline lines, written together at the end. */
interface Change {
  report: Report;
  at: Date;
  events: IocEvent[];
  timeline: TimelineEntry[];
}

/**
 * The rules of a report's life (issue 4): registration and routing, the agencies' and operators' transitions,
 * the citizen's confirmation, reopening and rating. Every change locks the report, checks the lifecycle, writes
 * the report, its timeline and its events in one transaction.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reports: ReportsRepository,
    private readonly catalog: ReferenceCatalog,
    private readonly events: ReportEventPublisher,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly policy: ReportsPolicy,
    private readonly photos: PhotoSanitizer,
  ) {}

  /**
   * Registers a citizen's report. With an `idempotencyKey`, a retry of the same request returns the first
   * answer and registers nothing; the same key with another request is refused.
   */
  async submit(
    input: NewReport,
    idempotencyKey?: string,
    photos: readonly Buffer[] = [],
  ): Promise<SubmissionReceipt> {
    const cleaned = await this.cleanPhotos(photos);
    return this.uow.run(async (tx) => {
      if (idempotencyKey === undefined) return this.register(tx, input, 'citizen', cleaned);
      const hash = createHash('sha256').update(JSON.stringify(input));
      for (const photo of photos) hash.update(createHash('sha256').update(photo).digest());
      const requestHash = hash.digest();
      const lookup = idempotencyLookup(idempotencyKey);
      const claim = await this.reports.claimIdempotencyKey(
        tx,
        lookup,
        requestHash,
        this.clock.now(),
        this.policy.idempotencyTtlMs,
      );
      if (claim.state === 'replay') {
        if (!claim.requestHash.equals(requestHash)) throw new IdempotencyKeyReusedError();
        return openReceipt<SubmissionReceipt>(idempotencyKey, claim.response as string);
      }
      const receipt = await this.register(tx, input, 'citizen', cleaned);
      await this.reports.storeIdempotentResponse(tx, lookup, sealReceipt(idempotencyKey, receipt));
      return receipt;
    });
  }

  /**
   * Registers a report handed over by another channel, in the consumer's transaction. A channel's id seen
   * before returns the report registered then (idempotent by channel + external id).
   * @returns the report id and whether it was new
   */
  async registerFromChannel(
    tx: Tx,
    input: NewReport & { externalId: string },
  ): Promise<{ reportId: string; created: boolean }> {
    const known = await this.reports.findByExternalId(tx, input.channel, input.externalId);
    if (known !== undefined) return { reportId: known, created: false };
    const receipt = await this.register(tx, input, 'channel');
    // The primary key settles a race between two consumers of different event ids for the same report:
    // the loser's transaction fails and is retried, then finds the winner's row above.
    if (!(await this.reports.claimExternalId(tx, input.channel, input.externalId, receipt.id)))
      throw new ConcurrentRegistrationError();
    return { reportId: receipt.id, created: true };
  }

  /** Public tracking by code. */
  async track(trackingCode: string): Promise<PublicReportView> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findByTrackingCode(tx, trackingCode);
      if (!report) throw new ReportNotFoundError();
      const timeline = await this.reports.timeline(tx, report.id, true);
      return publicView(report, timeline, await this.reports.countPhotos(tx, report.id, 'answer'));
    });
  }

  /** A photo of the agency's answer: public, like the answer itself. */
  async answerPhoto(trackingCode: string, position: number): Promise<{ contentType: string; bytes: Buffer }> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findByTrackingCode(tx, trackingCode);
      if (!report || report.answer === null) throw new ReportNotFoundError();
      const photo = await this.reports.photo(tx, report.id, 'answer', position);
      if (!photo) throw new PhotoNotFoundError();
      return photo;
    });
  }

  // --- citizens, with tracking code and secret -------------------------------------------------------

  confirm(trackingCode: string, secret: string): Promise<PublicReportView> {
    return this.asCitizen(trackingCode, secret, (change) => {
      this.transition(change, 'close', 'citizen', null, null);
      change.report.closedAt = change.at;
      this.emit(change, EventTypes.reportClosed, { closedBy: 'citizen' });
    });
  }

  reopen(trackingCode: string, secret: string, reason: string): Promise<PublicReportView> {
    return this.asCitizen(trackingCode, secret, async (change) => {
      const { report, at } = change;
      const answeredAt = report.resolvedAt?.getTime();
      if (
        (report.status === 'resolved' || report.status === 'closed') &&
        (answeredAt === undefined || at.getTime() - answeredAt > this.policy.reopenWindowMs)
      )
        throw new ReopenWindowClosedError(report.status);
      // The citizen's words may hold a phone number: kept on an internal line, not shown publicly.
      this.transition(change, 'reopen', 'citizen', null, reason, false);
      report.reopenCount += 1;
      report.resolvedAt = null;
      report.closedAt = null;
      report.answer = null;
      this.emit(change, EventTypes.reportReopened, { reason, reopenCount: report.reopenCount });
      await this.route(change);
    });
  }

  rate(trackingCode: string, secret: string, rating: number, comment?: string): Promise<PublicReportView> {
    return this.asCitizen(trackingCode, secret, (change) => {
      const { report } = change;
      if (report.status !== 'resolved' && report.status !== 'closed')
        throw new InvalidTransitionError(report.status, 'rate');
      if (report.rating !== null) throw new AlreadyRatedError(report.status);
      report.rating = rating;
      report.ratingComment = comment ?? null;
      this.note(change, 'rate', 'citizen', null, `${rating}/5`, true);
      this.emit(change, EventTypes.reportRated, { rating });
    });
  }

  // --- agencies (scoped to their own reports) ---------------------------------------------------------

  async list(principal: Principal, filter: ReportFilter): Promise<ReportPage> {
    // An agency user lists only its own reports whatever it asks for (DESIGN: agency scoping).
    let scoped: ReportFilter;
    if (principal.roles.includes('operator')) scoped = filter;
    else if (principal.agencyId !== undefined) scoped = { ...filter, agencyId: principal.agencyId };
    else return { items: [], total: 0, limit: filter.limit, offset: filter.offset };
    const page = await this.uow.run((tx) => this.reports.list(tx, scoped));
    return {
      items: page.items.map((report) => view(report, principal)),
      total: page.total,
      limit: filter.limit,
      offset: filter.offset,
    };
  }

  /** The operators' triage queue: not routed, declined, reopened without a rule, or likely duplicates. */
  triage(principal: Principal, filter: Omit<ReportFilter, 'statuses' | 'agencyId'>): Promise<ReportPage> {
    return this.list(principal, { ...filter, statuses: TRIAGE_STATUSES });
  }

  async get(principal: Principal, id: string): Promise<ReportView> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findById(tx, id);
      if (!report) throw new ReportNotFoundError();
      assertAgencyScope(principal, report.agencyId, () => new ReportNotFoundError());
      const timeline = await this.reports.timeline(tx, id, false);
      return {
        ...view(report, principal),
        duplicateCount: await this.reports.countDuplicatesOf(tx, id),
        timeline: timeline.map((entry) => ({
          at: entry.at.toISOString(),
          action: entry.action,
          status: entry.status,
          actor: entry.actor,
          note: entry.note,
        })),
      };
    });
  }

  /** A photo of a report, for whoever may see the report (the assigned agency, operators). */
  async photo(
    principal: Principal,
    id: string,
    kind: PhotoKind,
    position: number,
  ): Promise<{ contentType: string; bytes: Buffer }> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findById(tx, id);
      if (!report) throw new ReportNotFoundError();
      assertAgencyScope(principal, report.agencyId, () => new ReportNotFoundError());
      const photo = await this.reports.photo(tx, id, kind, position);
      if (!photo) throw new PhotoNotFoundError();
      return photo;
    });
  }

  acknowledge(principal: Principal, id: string): Promise<ReportView> {
    return this.asAgency(principal, id, (change) => {
      this.transition(change, 'acknowledge', 'agency', principal.agencyId ?? null, null);
      change.report.acknowledgedAt = change.at;
      this.emit(change, EventTypes.reportAcknowledged, { ackDueAt: iso(change.report.ackDueAt, change.at) });
    });
  }

  start(principal: Principal, id: string): Promise<ReportView> {
    return this.asAgency(principal, id, (change) => {
      this.transition(change, 'start', 'agency', principal.agencyId ?? null, null);
      this.emit(change, EventTypes.reportStarted, {});
    });
  }

  /** The agency's answer, with optional photos that are public with it (metadata stripped like the citizen's). */
  async resolve(
    principal: Principal,
    id: string,
    answer: string,
    photos: readonly Buffer[] = [],
  ): Promise<ReportView> {
    const cleaned = await this.cleanPhotos(photos);
    return this.asAgency(principal, id, async (change, tx) => {
      await this.reports.putPhotos(tx, id, 'answer', cleaned);
      this.transition(change, 'resolve', 'agency', principal.agencyId ?? null, answer);
      change.report.resolvedAt = change.at;
      change.report.answer = answer;
      this.emit(change, EventTypes.reportResolved, {
        answerSummary: answer.slice(0, 2000),
        resolveDueAt: iso(change.report.resolveDueAt, change.at),
      });
    });
  }

  /** The agency hands the report back: it leaves the agency's list for the operators' triage queue. */
  decline(principal: Principal, id: string, reason: string): Promise<ReportView> {
    return this.asAgency(principal, id, (change) => {
      const agencyId = change.report.agencyId ?? '';
      this.transition(change, 'decline', 'agency', principal.agencyId ?? null, reason);
      this.clearAssignment(change.report);
      this.emit(change, EventTypes.reportDeclined, { agencyId, reason });
    });
  }

  /** An internal note; no status change, no event. */
  comment(principal: Principal, id: string, text: string): Promise<ReportView> {
    return this.asAgency(principal, id, (change) => {
      if (!OPEN_STATUSES.includes(change.report.status))
        throw new InvalidTransitionError(change.report.status, 'comment');
      this.note(change, 'comment', 'agency', principal.agencyId ?? null, text, false);
    });
  }

  // --- operators ---------------------------------------------------------------------------------------

  /** Assigns a report from triage, or re-assigns an open one, to an agency. */
  assign(principal: Principal, id: string, agencyId: string): Promise<ReportView> {
    return this.asOperator(principal, id, async (change) => {
      if (!(await this.catalog.agency(agencyId))) throw new UnknownAgencyError();
      await this.assignTo(change, agencyId, 'operator', principal.subject);
    });
  }

  reject(principal: Principal, id: string, kind: RejectionKind, reason: string): Promise<ReportView> {
    return this.asOperator(principal, id, (change) => {
      this.transition(change, 'reject', 'operator', principal.subject, `${kind}: ${reason}`);
      this.clearAssignment(change.report);
      change.report.closedAt = change.at;
      this.emit(change, EventTypes.reportRejected, { reason: `${kind}: ${reason}`.slice(0, 1000) });
    });
  }

  /** The operator agrees the report duplicates the one it is linked to: it is rejected as a duplicate. */
  confirmDuplicate(principal: Principal, id: string): Promise<ReportView> {
    return this.asOperator(principal, id, (change) => {
      if (change.report.status !== 'duplicate' || change.report.duplicateOf === null)
        throw new InvalidTransitionError(change.report.status, 'confirm-duplicate');
      const reason = `duplicate: of report ${change.report.duplicateOf}`;
      this.transition(change, 'reject', 'operator', principal.subject, reason);
      change.report.closedAt = change.at;
      this.emit(change, EventTypes.reportRejected, { reason });
    });
  }

  /** The operator judges the report a distinct problem: the link goes and the report is routed. */
  dismissDuplicate(principal: Principal, id: string): Promise<ReportView> {
    return this.asOperator(principal, id, async (change) => {
      this.transition(change, 'dismiss-duplicate', 'operator', principal.subject, null, false);
      change.report.duplicateOf = null;
      await this.route(change);
    });
  }

  // --- internals ---------------------------------------------------------------------------------------

  /** Photos decoded and re-encoded, pixels only, before anything is stored (see PhotoSanitizer). */
  private async cleanPhotos(photos: readonly Buffer[]): Promise<CleanPhoto[]> {
    if (photos.length > this.policy.maxPhotos) throw new TooManyPhotosError(this.policy.maxPhotos);
    const cleaned: CleanPhoto[] = [];
    // One at a time: each decode may hold up to maxInputPixels in memory.
    for (const [index, photo] of photos.entries()) {
      const verdict = await this.photos.sanitize(photo);
      if (!verdict.ok)
        throw verdict.refusal === 'too-many-pixels'
          ? new PhotoTooManyPixelsError(index, this.photos.maxInputPixels)
          : new InvalidPhotoError(index);
      cleaned.push(verdict.photo);
    }
    return cleaned;
  }

  private async register(
    tx: Tx,
    input: NewReport,
    actor: Actor,
    photos: readonly { contentType: string; bytes: Buffer }[] = [],
  ): Promise<SubmissionReceipt> {
    const category = await this.catalog.category(input.categoryCode);
    if (!category) throw new UnknownCategoryError();
    const at = this.clock.now();
    const placement = await this.catalog.place(input.location, input.categoryCode, at);
    if (placement.units.length === 0) throw new OutsideCityError();
    const original = await this.likelyDuplicateOf(tx, input, category, at);
    const secret = this.ids.secret();
    const report: Report = {
      id: this.ids.reportId(),
      trackingCode: this.ids.trackingCode(),
      secretHash: hashSecret(secret),
      status: 'submitted',
      channel: input.channel,
      categoryCode: input.categoryCode,
      description: input.description,
      addressText: input.addressText ?? null,
      location: { lat: input.location.lat, lon: input.location.lon },
      adminUnitCodes: [...new Set(placement.units.map((unit) => unit.code))],
      agencyId: null,
      reporter: {
        name: input.reporter?.name ?? null,
        phone: input.reporter?.phone ?? null,
        email: input.reporter?.email ?? null,
      },
      attachmentCount: photos.length > 0 ? photos.length : (input.attachmentCount ?? 0),
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
    };
    const change: Change = { report, at, events: [], timeline: [] };
    this.note(change, 'submit', actor, null, null, true);
    this.emit(change, EventTypes.reportSubmitted, {
      ...(input.externalId === undefined ? {} : { externalId: input.externalId }),
      attachmentCount: report.attachmentCount,
    });
    if (original) {
      // Not routed: the operator confirms or dismisses the link first, so an agency never gets it twice.
      this.transition(change, 'link-duplicate', 'system', null, null);
      report.duplicateOf = original.id;
      this.emit(change, EventTypes.reportDuplicateLinked, { duplicateOf: original.id });
    } else if (placement.rule) {
      await this.assignTo(change, placement.rule.agencyId, 'routing-rule', placement.rule.id);
    }
    await this.reports.insert(tx, report, change.timeline);
    await this.reports.putPhotos(tx, report.id, 'citizen', photos);
    await this.events.publish(tx, change.events);
    return {
      id: report.id,
      trackingCode: report.trackingCode,
      secret,
      status: report.status,
      submittedAt: report.submittedAt.toISOString(),
    };
  }

  /** The nearest open report of the same category within the category's distance and time (issue 4). */
  private async likelyDuplicateOf(
    tx: Tx,
    input: NewReport,
    rules: CategoryRules,
    at: Date,
  ): Promise<Report | undefined> {
    const radius = rules.category.duplicate.radiusMeters;
    if (radius === 0 || rules.duplicateWithinMs === 0) return undefined;
    const box = degreesAround(input.location, radius);
    const candidates = await this.reports.openNear(tx, {
      categoryCode: input.categoryCode,
      lat: input.location.lat,
      lon: input.location.lon,
      ...box,
      since: new Date(at.getTime() - rules.duplicateWithinMs),
    });
    let best: { report: Report; distance: number } | undefined;
    for (const report of candidates) {
      const distance = distanceMeters(input.location, report.location);
      if (distance <= radius && (!best || distance < best.distance)) best = { report, distance };
    }
    return best?.report;
  }

  /** Re-routes a reopened report by the rules in force; without a rule it waits in triage. */
  private async route(change: Change): Promise<void> {
    const { report, at } = change;
    const placement = await this.catalog.place(report.location, report.categoryCode, at);
    if (placement.rule)
      await this.assignTo(change, placement.rule.agencyId, 'routing-rule', placement.rule.id);
    else this.clearAssignment(report);
  }

  /** Assignment with its SLA deadlines, computed from the moment of assignment (issue 4: SLA). */
  private async assignTo(
    change: Change,
    agencyId: string,
    by: 'routing-rule' | 'operator',
    actorId: string,
  ): Promise<void> {
    const { report, at } = change;
    const category = await this.catalog.category(report.categoryCode);
    if (!category) throw new UnknownCategoryError();
    const previousAgencyId = report.agencyId;
    this.transition(change, 'assign', by === 'operator' ? 'operator' : 'system', actorId, null);
    report.agencyId = agencyId;
    report.assignedAt = at;
    report.acknowledgedAt = null;
    report.ackDueAt = new Date(at.getTime() + category.ackWithinMs);
    report.resolveDueAt = new Date(at.getTime() + category.resolveWithinMs);
    // A new assignment is judged on its own deadlines, so its breaches are announced afresh.
    report.ackOverdueAt = null;
    report.resolveOverdueAt = null;
    this.emit(change, EventTypes.reportAssigned, {
      agencyId,
      ...(previousAgencyId === null || previousAgencyId === agencyId ? {} : { previousAgencyId }),
      assignedBy: by,
      ackDueAt: report.ackDueAt.toISOString(),
      resolveDueAt: report.resolveDueAt.toISOString(),
    });
  }

  private clearAssignment(report: Report): void {
    report.agencyId = null;
    report.assignedAt = null;
    report.ackDueAt = null;
    report.resolveDueAt = null;
  }

  private transition(
    change: Change,
    action: ReportAction,
    actor: Actor,
    actorId: string | null,
    note: string | null,
    isPublic = true,
  ): void {
    change.report.status = nextStatus(change.report.status, action);
    change.report.updatedAt = change.at;
    this.note(change, action, actor, actorId, note, isPublic);
  }

  private note(
    change: Change,
    action: string,
    actor: Actor,
    actorId: string | null,
    note: string | null,
    isPublic: boolean,
  ): void {
    change.timeline.push({
      reportId: change.report.id,
      at: change.at,
      action,
      status: change.report.status,
      actor,
      actorId,
      note,
      public: isPublic,
    });
  }

  private emit<K extends ReportEventType>(change: Change, type: K, extra: ReportEventExtra<K>): void {
    change.events.push(reportEvent(type, change.report, change.at, extra));
  }

  private asCitizen(
    trackingCode: string,
    secret: string,
    apply: (change: Change) => void | Promise<void>,
  ): Promise<PublicReportView> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findByTrackingCode(tx, trackingCode, true);
      if (!report) throw new ReportNotFoundError();
      if (!secretMatches(secret, report.secretHash)) throw new InvalidReportSecretError();
      await this.commit(tx, report, apply);
      return publicView(
        report,
        await this.reports.timeline(tx, report.id, true),
        await this.reports.countPhotos(tx, report.id, 'answer'),
      );
    });
  }

  private asAgency(
    principal: Principal,
    id: string,
    apply: (change: Change, tx: Tx) => void | Promise<void>,
  ): Promise<ReportView> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findById(tx, id, true);
      if (!report) throw new ReportNotFoundError();
      // Another agency's report answers exactly like a missing one (issue 4: agency scoping).
      assertAgencyScope(principal, report.agencyId, () => new ReportNotFoundError());
      await this.commit(tx, report, apply);
      return view(report, principal);
    });
  }

  private asOperator(
    principal: Principal,
    id: string,
    apply: (change: Change) => void | Promise<void>,
  ): Promise<ReportView> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findById(tx, id, true);
      if (!report) throw new ReportNotFoundError();
      await this.commit(tx, report, apply);
      return view(report, principal);
    });
  }

  private async commit(
    tx: Tx,
    report: Report,
    apply: (change: Change, tx: Tx) => void | Promise<void>,
  ): Promise<void> {
    const change: Change = { report, at: this.clock.now(), events: [], timeline: [] };
    await apply(change, tx);
    report.updatedAt = change.at;
    await this.reports.update(tx, report);
    await this.reports.addTimeline(tx, change.timeline);
    await this.events.publish(tx, change.events);
  }
}

function iso(value: Date | null, fallback: Date): string {
  return (value ?? fallback).toISOString();
}

function isoOrNull(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

function publicView(
  report: Report,
  timeline: readonly TimelineEntry[],
  answerPhotoCount: number,
): PublicReportView {
  return {
    trackingCode: report.trackingCode,
    status: report.status,
    categoryCode: report.categoryCode,
    addressText: report.addressText,
    location: { ...report.location },
    submittedAt: report.submittedAt.toISOString(),
    updatedAt: report.updatedAt.toISOString(),
    answer: report.answer,
    answerPhotoCount: report.answer === null ? 0 : answerPhotoCount,
    resolvedAt: isoOrNull(report.resolvedAt),
    closedAt: isoOrNull(report.closedAt),
    rating: report.rating,
    timeline: timeline.map((entry) => ({
      at: entry.at.toISOString(),
      action: entry.action,
      status: entry.status,
      note: entry.note,
    })),
  };
}

function view(report: Report, principal: Principal): ReportView {
  // Contact data only for the agency the report is assigned to (DESIGN "Privacy"), not even operators.
  const ownAgency =
    principal.roles.includes('agency') &&
    principal.agencyId !== undefined &&
    principal.agencyId === report.agencyId;
  return {
    id: report.id,
    trackingCode: report.trackingCode,
    status: report.status,
    channel: report.channel,
    categoryCode: report.categoryCode,
    description: report.description,
    addressText: report.addressText,
    location: { ...report.location },
    adminUnitCodes: [...report.adminUnitCodes],
    agencyId: report.agencyId,
    attachmentCount: report.attachmentCount,
    submittedAt: report.submittedAt.toISOString(),
    updatedAt: report.updatedAt.toISOString(),
    ackDueAt: isoOrNull(report.ackDueAt),
    resolveDueAt: isoOrNull(report.resolveDueAt),
    acknowledgedAt: isoOrNull(report.acknowledgedAt),
    resolvedAt: isoOrNull(report.resolvedAt),
    closedAt: isoOrNull(report.closedAt),
    ackOverdue: report.ackOverdueAt !== null,
    resolveOverdue: report.resolveOverdueAt !== null,
    answer: report.answer,
    reopenCount: report.reopenCount,
    rating: report.rating,
    ratingComment: report.ratingComment,
    duplicateOf: report.duplicateOf,
    ...(ownAgency ? { reporter: { ...report.reporter } } : {}),
  };
}
