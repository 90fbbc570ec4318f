import { assertAgencyScope, type Principal } from '@ioc/auth';
import { type Tx, UnitOfWork } from '@ioc/database';
import { Injectable } from '@nestjs/common';
import { type Report, TRIAGE_STATUSES } from './report';
import { encodeReportCursor } from './report-cursor';
import { ReportNotFoundError } from './report.errors';
import {
  detailedView,
  publicView,
  type PublicReportView,
  type ReportPage,
  reportView,
  type ReportView,
} from './report-views';
import { type ReportFilter, ReportsRepository } from './reports.repository';

/** The read side: what citizens, agencies and operators see of reports, scoped to who asks. */
@Injectable()
export class ReportViewsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reports: ReportsRepository,
  ) {}

  /** Public tracking by code. */
  track(trackingCode: string): Promise<PublicReportView> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findByTrackingCode(tx, trackingCode);
      if (!report) throw new ReportNotFoundError();
      return this.publicView(tx, report);
    });
  }

  /** The public view of `report` as it stands in `tx`, e.g. right after a citizen's change. */
  async publicView(tx: Tx, report: Report): Promise<PublicReportView> {
    const timeline = await this.reports.timeline(tx, report.id, true);
    return publicView(report, timeline, await this.reports.countPhotos(tx, report.id, 'answer'));
  }

  async list(principal: Principal, filter: ReportFilter): Promise<ReportPage> {
    // An agency user lists only its own reports whatever it asks for (docs/architecture.md, "Who uses it").
    let scoped: ReportFilter;
    if (principal.roles.includes('operator')) scoped = filter;
    else if (principal.agencyId !== undefined) scoped = { ...filter, agencyId: principal.agencyId };
    else return { items: [] };
    const reports = await this.uow.run((tx) => this.reports.list(tx, scoped));
    const last = reports[reports.length - 1];
    return {
      items: reports.map((report) => reportView(report, principal)),
      ...(reports.length === filter.limit && last ? { nextCursor: encodeReportCursor(last) } : {}),
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
      return detailedView(report, principal, timeline, await this.reports.countDuplicatesOf(tx, id));
    });
  }
}
