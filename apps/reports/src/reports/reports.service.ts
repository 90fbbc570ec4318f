import { assertAgencyScope, type Principal } from '@ioc/auth';
import type { ReportChannel } from '@ioc/contracts';
import { type Tx, UnitOfWork } from '@ioc/database';
import { Injectable } from '@nestjs/common';
import { ReferenceCatalog } from '../reference/reference-catalog';
import { Clock } from '@ioc/platform';
import { hashSecret, IdGenerator, secretMatches } from '../common/ports';
import { IdempotencyService } from './idempotency.service';
import { type RejectionKind, Report } from './report';
import { ReportPhotosService } from './report-photos.service';
import { ReportRoutingService } from './report-routing.service';
import { ReportStore } from './report-store';
import {
  type PublicReportView,
  receiptOf,
  reportView,
  type ReportView,
  type SubmissionReceipt,
} from './report-views';
import { ReportViewsService } from './report-views.service';
import {
  ConcurrentRegistrationError,
  InvalidReportSecretError,
  ReportNotFoundError,
  UnknownAgencyError,
} from './report.errors';
import { ReportsRepository } from './reports.repository';
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

/**
 * The commands on reports: registration, the agencies' and operators' transitions, the citizen's confirmation,
 * reopening and rating. Each locks the report, applies one of its transitions (the rules live on
 * {@link Report}) and writes the report, its timeline and its events in one transaction.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reports: ReportsRepository,
    private readonly store: ReportStore,
    private readonly routing: ReportRoutingService,
    private readonly catalog: ReferenceCatalog,
    private readonly views: ReportViewsService,
    private readonly photos: ReportPhotosService,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly policy: ReportsPolicy,
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
    const cleaned = await this.photos.clean(photos);
    // Without a key or photos, the one write is the report with its timeline and outbox rows in one statement,
    // atomic by itself; the duplicate search before it locks nothing, so it sees in a transaction of its own
    // what it would in ours: no BEGIN and COMMIT, two round trips fewer on the hot path (docs/bench.md).
    if (idempotencyKey === undefined && cleaned.length === 0)
      return this.uow.autocommit(async (tx) => {
        const { report, secret } = await this.register(tx, input, 'citizen', 0);
        await this.store.insert(tx, report);
        return receiptOf(report, secret);
      });
    return this.uow.run(async (tx) => {
      const register = async () => {
        const { report, secret } = await this.register(tx, input, 'citizen', cleaned.length);
        await this.store.insert(tx, report);
        await this.reports.putPhotos(tx, report.id, 'citizen', cleaned);
        return receiptOf(report, secret);
      };
      if (idempotencyKey === undefined) return register();
      return this.idempotency.once(tx, idempotencyKey, { body: input, photos }, register);
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
    const { report } = await this.register(tx, input, 'channel', 0);
    await this.store.insert(tx, report);
    // The primary key settles a race between two consumers of different event ids for the same report:
    // the loser's transaction fails and is retried, then finds the winner's row above.
    if (!(await this.reports.claimExternalId(tx, input.channel, input.externalId, report.id)))
      throw new ConcurrentRegistrationError();
    return { reportId: report.id, created: true };
  }

  // --- citizens, with tracking code and secret -------------------------------------------------------

  confirm(trackingCode: string, secret: string): Promise<PublicReportView> {
    return this.asCitizen(trackingCode, secret, (report, at) => report.close('citizen', at));
  }

  reopen(trackingCode: string, secret: string, reason: string): Promise<PublicReportView> {
    return this.asCitizen(trackingCode, secret, async (report, at) => {
      report.reopen(reason, this.policy.reopenWindowMs, at);
      report.route(await this.routing.reroute(report, at), at);
    });
  }

  rate(trackingCode: string, secret: string, rating: number, comment?: string): Promise<PublicReportView> {
    return this.asCitizen(trackingCode, secret, (report, at) => report.rate(rating, comment, at));
  }

  // --- agencies (scoped to their own reports) ---------------------------------------------------------

  acknowledge(principal: Principal, id: string): Promise<ReportView> {
    return this.asAgency(principal, id, (report, at) => report.acknowledge(principal.agencyId ?? null, at));
  }

  start(principal: Principal, id: string): Promise<ReportView> {
    return this.asAgency(principal, id, (report, at) => report.start(principal.agencyId ?? null, at));
  }

  /** The agency's answer, with optional photos that are public with it (metadata stripped like the citizen's). */
  async resolve(
    principal: Principal,
    id: string,
    answer: string,
    photos: readonly Buffer[] = [],
  ): Promise<ReportView> {
    const cleaned = await this.photos.clean(photos);
    return this.asAgency(principal, id, async (report, at, tx) => {
      report.resolve(principal.agencyId ?? null, answer, at);
      await this.reports.putPhotos(tx, id, 'answer', cleaned);
    });
  }

  /** The agency hands the report back: it leaves the agency's list for the operators' triage queue. */
  decline(principal: Principal, id: string, reason: string): Promise<ReportView> {
    return this.asAgency(principal, id, (report, at) =>
      report.decline(principal.agencyId ?? null, reason, at),
    );
  }

  /** An internal note; no status change, no event. */
  comment(principal: Principal, id: string, text: string): Promise<ReportView> {
    return this.asAgency(principal, id, (report, at) => report.comment(principal.agencyId ?? null, text, at));
  }

  // --- operators ---------------------------------------------------------------------------------------

  /** Assigns a report from triage, or re-assigns an open one, to an agency. */
  assign(principal: Principal, id: string, agencyId: string): Promise<ReportView> {
    return this.asOperator(principal, id, async (report, at) => {
      if (!(await this.catalog.agency(agencyId))) throw new UnknownAgencyError();
      const by = { kind: 'operator', operatorId: principal.subject } as const;
      report.assign(await this.routing.assignment(report.categoryCode, agencyId, by), at);
    });
  }

  reject(principal: Principal, id: string, kind: RejectionKind, reason: string): Promise<ReportView> {
    return this.asOperator(principal, id, (report, at) => report.reject(principal.subject, kind, reason, at));
  }

  /** The operator agrees the report duplicates the one it is linked to: it is rejected as a duplicate. */
  confirmDuplicate(principal: Principal, id: string): Promise<ReportView> {
    return this.asOperator(principal, id, (report, at) => report.confirmDuplicate(principal.subject, at));
  }

  /** The operator judges the report a distinct problem: the link goes and the report is routed. */
  dismissDuplicate(principal: Principal, id: string): Promise<ReportView> {
    return this.asOperator(principal, id, async (report, at) => {
      report.dismissDuplicate(principal.subject, at);
      report.route(await this.routing.reroute(report, at), at);
    });
  }

  // --- internals ---------------------------------------------------------------------------------------

  /** A new report, placed, linked to its likely duplicate or routed by the rules; not yet written. */
  private async register(
    tx: Tx,
    input: NewReport,
    by: 'citizen' | 'channel',
    photoCount: number,
  ): Promise<{ report: Report; secret: string }> {
    const at = this.clock.now();
    const placement = await this.routing.place(tx, input.categoryCode, input.location, at);
    const secret = this.ids.secret();
    const report = Report.submit(
      {
        id: this.ids.reportId(),
        trackingCode: this.ids.trackingCode(),
        secretHash: hashSecret(secret),
        channel: input.channel,
        categoryCode: input.categoryCode,
        description: input.description,
        addressText: input.addressText ?? null,
        location: { lat: input.location.lat, lon: input.location.lon },
        adminUnitCodes: placement.adminUnitCodes,
        reporter: {
          name: input.reporter?.name ?? null,
          phone: input.reporter?.phone ?? null,
          email: input.reporter?.email ?? null,
        },
        attachmentCount: photoCount > 0 ? photoCount : (input.attachmentCount ?? 0),
      },
      by,
      at,
      input.externalId,
    );
    // A likely duplicate is not routed: the operator confirms or dismisses the link first, so an agency
    // never gets the same problem twice.
    if (placement.duplicateOf) report.linkDuplicate(placement.duplicateOf.id, at);
    else if (placement.assignment) report.assign(placement.assignment, at);
    return { report, secret };
  }

  private asCitizen(
    trackingCode: string,
    secret: string,
    apply: (report: Report, at: Date) => void | Promise<void>,
  ): Promise<PublicReportView> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findByTrackingCode(tx, trackingCode, true);
      if (!report) throw new ReportNotFoundError();
      if (!secretMatches(secret, report.secretHash)) throw new InvalidReportSecretError();
      await apply(report, this.clock.now());
      await this.store.save(tx, [report]);
      return this.views.publicView(tx, report);
    });
  }

  private asAgency(
    principal: Principal,
    id: string,
    apply: (report: Report, at: Date, tx: Tx) => void | Promise<void>,
  ): Promise<ReportView> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findById(tx, id, true);
      if (!report) throw new ReportNotFoundError();
      // Another agency's report answers exactly like a missing one (agency scoping).
      assertAgencyScope(principal, report.agencyId, () => new ReportNotFoundError());
      await apply(report, this.clock.now(), tx);
      await this.store.save(tx, [report]);
      return reportView(report, principal);
    });
  }

  private asOperator(
    principal: Principal,
    id: string,
    apply: (report: Report, at: Date) => void | Promise<void>,
  ): Promise<ReportView> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findById(tx, id, true);
      if (!report) throw new ReportNotFoundError();
      await apply(report, this.clock.now());
      await this.store.save(tx, [report]);
      return reportView(report, principal);
    });
  }
}
