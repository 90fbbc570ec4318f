import { createEvent, type EventDataMap, type EventType, EventTypes, type IocEvent } from '@ioc/contracts';
import type { Report } from './report';

/** The CloudEvents `source` of everything this service emits. */
export const REPORTS_SOURCE = '/ioc/reports';

export type ReportEventType = Extract<
  EventType,
  | typeof EventTypes.reportSubmitted
  | typeof EventTypes.reportAssigned
  | typeof EventTypes.reportAcknowledged
  | typeof EventTypes.reportStarted
  | typeof EventTypes.reportResolved
  | typeof EventTypes.reportClosed
  | typeof EventTypes.reportReopened
  | typeof EventTypes.reportDeclined
  | typeof EventTypes.reportRejected
  | typeof EventTypes.reportDuplicateLinked
  | typeof EventTypes.reportOverdue
  | typeof EventTypes.reportRated
>;

type BaseFields =
  | 'reportId'
  | 'trackingCode'
  | 'status'
  | 'categoryCode'
  | 'adminUnitCodes'
  | 'location'
  | 'agencyId'
  | 'channel'
  | 'submittedAt'
  | 'occurredAt';

/** The fields the event type adds to the common ones. */
export type ReportEventExtra<K extends ReportEventType> = Omit<EventDataMap[K], BaseFields> & {
  /** Overrides the report's agency, e.g. the agency that just declined it. */
  agencyId?: string;
};

/** A fact about a report, recorded by the aggregate when it changes; see {@link toCloudEvent}. */
export interface ReportDomainEvent<K extends ReportEventType = ReportEventType> {
  readonly type: K;
  readonly at: Date;
  readonly data: EventDataMap[K];
}

/**
 * The data of a report event, taken from the aggregate as it is at that moment. Only the fields the contract
 * names are copied — never the description, the reporter's contact data or photos (docs/architecture.md, "Privacy"); the
 * closed schemas reject anything else.
 */
export function reportEventData<K extends ReportEventType>(
  type: K,
  report: Report,
  at: Date,
  extra: ReportEventExtra<K>,
): EventDataMap[K] {
  return {
    reportId: report.id,
    trackingCode: report.trackingCode,
    status: report.status,
    categoryCode: report.categoryCode,
    adminUnitCodes: [...report.adminUnitCodes],
    location: { lat: report.location.lat, lon: report.location.lon },
    ...(report.agencyId === null ? {} : { agencyId: report.agencyId }),
    channel: report.channel,
    submittedAt: report.submittedAt.toISOString(),
    occurredAt: at.toISOString(),
    ...extra,
  } as EventDataMap[K];
}

/** The CloudEvent announcing a domain event; its subject and Kafka key are the report id. */
export function toCloudEvent(event: ReportDomainEvent): IocEvent {
  return createEvent(event.type, {
    source: REPORTS_SOURCE,
    subject: event.data.reportId,
    time: event.at,
    data: event.data,
  });
}
