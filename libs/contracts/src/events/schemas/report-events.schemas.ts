import { Type, type TProperties } from '@sinclair/typebox';

import { EventTypes, type EventType } from '../event-types';
import {
  DateTime,
  eventSchema,
  GeoPoint,
  Identifier,
  REPORT_STATUSES,
  ReportChannelSchema,
  SafeString,
  StringEnum,
  Text,
} from './common.schemas';

/**
 * What every report event carries, so that the KPI service and the wall can act on one event without asking
 * the reports service. There is deliberately no property for a reporter's name, phone, e-mail or photos, and
 * the schemas are closed, so personal data cannot ride along (docs/architecture.md, "Privacy").
 */
const reportEventBase = {
  reportId: Identifier('Report id; also the CloudEvents subject and the Kafka key'),
  trackingCode: SafeString({
    description: 'Code the citizen tracks the report with',
    minLength: 4,
    maxLength: 32,
    pattern: '^[A-Za-z0-9-]+$',
  }),
  status: StringEnum(REPORT_STATUSES, { description: "The report's status after this event" }),
  categoryCode: Identifier('Report category code from the reference data'),
  adminUnitCodes: Type.Array(Identifier('Administrative unit code'), {
    description:
      'Codes of every administrative unit containing the location, in each hierarchy the city keeps ' +
      '(units change, e.g. the 2025 reform, so old and new codes are both listed)',
    maxItems: 16,
    uniqueItems: true,
  }),
  location: GeoPoint('Where the problem is'),
  agencyId: Type.Optional(Identifier('Agency currently responsible, once assigned')),
  channel: ReportChannelSchema,
  submittedAt: DateTime('When the report was registered; the start of every SLA clock'),
  occurredAt: DateTime('When this change happened (UTC); event time, not arrival time, drives KPI windows'),
};

const agencyId = Identifier('Agency concerned by this change');
const reason = Text('Why, in words the citizen may read', 1000);

function reportEvent<P extends TProperties>(type: EventType, title: string, description: string, extra: P) {
  return eventSchema(type, { title, description }, { ...reportEventBase, ...extra });
}

export const ReportSubmittedV1 = reportEvent(
  EventTypes.reportSubmitted,
  'Report submitted',
  'A report was registered and given a tracking code.',
  {
    externalId: Type.Optional(
      SafeString({
        description: "The report's id in the originating channel",
        maxLength: 128,
        pattern: '^\\S+$',
      }),
    ),
    attachmentCount: Type.Optional(
      Type.Integer({
        description: 'How many files the citizen attached (the files stay private)',
        minimum: 0,
        maximum: 10,
      }),
    ),
  },
);

export const ReportAssignedV1 = reportEvent(
  EventTypes.reportAssigned,
  'Report assigned',
  'A report was routed or re-assigned to an agency, with its SLA deadlines.',
  {
    agencyId,
    previousAgencyId: Type.Optional(Identifier('Agency that held the report before a re-assignment')),
    assignedBy: StringEnum(['routing-rule', 'operator'] as const, { description: 'Who made the assignment' }),
    ackDueAt: DateTime('Deadline for the agency to acknowledge'),
    resolveDueAt: DateTime('Deadline for the agency to resolve'),
  },
);

export const ReportAcknowledgedV1 = reportEvent(
  EventTypes.reportAcknowledged,
  'Report acknowledged',
  'The assigned agency acknowledged the report.',
  { agencyId, ackDueAt: DateTime('The acknowledgement deadline, to judge it on time') },
);

export const ReportStartedV1 = reportEvent(
  EventTypes.reportStarted,
  'Report work started',
  'The assigned agency started working on the report.',
  { agencyId },
);

export const ReportResolvedV1 = reportEvent(
  EventTypes.reportResolved,
  'Report resolved',
  'The assigned agency resolved the report and answered the citizen.',
  {
    agencyId,
    answerSummary: Text("Summary of the agency's answer, shown to the citizen", 2000),
    resolveDueAt: DateTime('The resolution deadline, to judge it on time'),
  },
);

export const ReportClosedV1 = reportEvent(
  EventTypes.reportClosed,
  'Report closed',
  'A report was closed: confirmed by the citizen, closed by an operator, or closed automatically.',
  {
    closedBy: StringEnum(['citizen', 'operator', 'system'] as const, {
      description: '`system` when the confirmation window ran out',
    }),
  },
);

export const ReportReopenedV1 = reportEvent(
  EventTypes.reportReopened,
  'Report reopened',
  'The citizen (or an operator) reopened a resolved report.',
  {
    reason,
    reopenCount: Type.Integer({
      description: 'How many times it has been reopened',
      minimum: 1,
      maximum: 1000,
    }),
  },
);

export const ReportDeclinedV1 = reportEvent(
  EventTypes.reportDeclined,
  'Report declined',
  'The assigned agency declined the report as outside its remit; it returns to the operators.',
  { agencyId, reason },
);

export const ReportRejectedV1 = reportEvent(
  EventTypes.reportRejected,
  'Report rejected',
  'An operator rejected the report (not actionable, abusive, out of scope).',
  { reason },
);

export const ReportDuplicateLinkedV1 = reportEvent(
  EventTypes.reportDuplicateLinked,
  'Report linked as duplicate',
  'The report was recognised as a duplicate and linked to the report that is handled instead.',
  { duplicateOf: Identifier('Id of the report this one duplicates') },
);

export const ReportOverdueV1 = reportEvent(
  EventTypes.reportOverdue,
  'Report overdue',
  'An SLA deadline passed without the required step.',
  {
    breach: StringEnum(['acknowledge', 'resolve'] as const, { description: 'Which deadline was missed' }),
    dueAt: DateTime('The deadline that was missed'),
  },
);

export const ReportRatedV1 = reportEvent(
  EventTypes.reportRated,
  'Report rated',
  'The citizen rated the handling of the report.',
  { rating: Type.Integer({ description: 'Satisfaction, 1 (worst) to 5 (best)', minimum: 1, maximum: 5 }) },
);
