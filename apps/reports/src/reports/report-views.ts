import type { Principal } from '@ioc/auth';
import type { ReportChannel, ReportStatus } from '@ioc/contracts';
import type { Actor, Report, TimelineEntry } from './report';

/** The answer to a submission: the only time the secret is shown. */
export interface SubmissionReceipt {
  id: string;
  trackingCode: string;
  secret: string;
  status: ReportStatus;
  submittedAt: string;
}

/** What anyone with the tracking code may see: no description, no contact data (docs/architecture.md, "Privacy"). */
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

/** A page of a report list; `nextCursor` (absent on the last page) asks for the next one. */
export interface ReportPage {
  items: ReportView[];
  nextCursor?: string;
}

function isoOrNull(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

export function receiptOf(report: Report, secret: string): SubmissionReceipt {
  return {
    id: report.id,
    trackingCode: report.trackingCode,
    secret,
    status: report.status,
    submittedAt: report.submittedAt.toISOString(),
  };
}

/** The public view: `timeline` holds only the public lines. */
export function publicView(
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

/** The view of agencies and operators, as listed. */
export function reportView(report: Report, principal: Principal): ReportView {
  // Contact data only for the agency the report is assigned to (docs/architecture.md, "Privacy"), not even operators.
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

/** The single-report view: the listed one with the whole timeline and the count of linked duplicates. */
export function detailedView(
  report: Report,
  principal: Principal,
  timeline: readonly TimelineEntry[],
  duplicateCount: number,
): ReportView {
  return {
    ...reportView(report, principal),
    duplicateCount,
    timeline: timeline.map((entry) => ({
      at: entry.at.toISOString(),
      action: entry.action,
      status: entry.status,
      actor: entry.actor,
      note: entry.note,
    })),
  };
}
