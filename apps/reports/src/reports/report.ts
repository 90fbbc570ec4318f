import type { ReportChannel, ReportStatus } from '@ioc/contracts';

/** A reporter's contact data: personal data, shown only to the agency the report is assigned to (DESIGN). */
export interface ReporterContact {
  readonly name: string | null;
  readonly phone: string | null;
  readonly email: string | null;
}

/** The report aggregate as the service keeps it. */
export interface Report {
  readonly id: string;
  readonly trackingCode: string;
  readonly secretHash: Buffer;
  status: ReportStatus;
  readonly channel: ReportChannel;
  readonly categoryCode: string;
  readonly description: string;
  readonly addressText: string | null;
  readonly location: { readonly lat: number; readonly lon: number };
  readonly adminUnitCodes: readonly string[];
  agencyId: string | null;
  readonly reporter: ReporterContact;
  readonly attachmentCount: number;
  readonly submittedAt: Date;
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
