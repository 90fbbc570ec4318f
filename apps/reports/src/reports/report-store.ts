import type { Tx } from '@ioc/database';
import { Injectable } from '@nestjs/common';
import type { Report } from './report';
import { ReportEventPublisher } from './report-event.publisher';
import { type ReportDomainEvent, toCloudEvent } from './report-events';
import { ReportsRepository } from './reports.repository';

/**
 * Writes reports with what their transitions recorded: the row, its timeline lines and its events, in the
 * caller's transaction (docs/architecture.md, "Nothing lost"). The one way a change to a report reaches the database.
 */
@Injectable()
export class ReportStore {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly events: ReportEventPublisher,
  ) {}

  /**
   * A new report with its first timeline lines and events, in one statement: atomic by itself, so `tx` may be
   * a transaction or `UnitOfWork.autocommit`'s handle.
   */
  async insert(tx: Tx, report: Report): Promise<void> {
    const { events, timeline } = report.pullChanges();
    await this.reports.insert(tx, report, timeline, this.events.rows(events.map(toCloudEvent)));
  }

  /** Changed reports, their new timeline lines and events. */
  async save(tx: Tx, reports: readonly Report[]): Promise<void> {
    const events: ReportDomainEvent[] = [];
    const timeline = [];
    for (const report of reports) {
      await this.reports.update(tx, report);
      const changes = report.pullChanges();
      events.push(...changes.events);
      timeline.push(...changes.timeline);
    }
    await this.reports.addTimeline(tx, timeline);
    await this.publish(tx, events);
  }

  // The outbox stamps each event with the flow's correlation id and traceparent (docs/architecture.md,
  // "Tracing across Kafka").
  private publish(tx: Tx, events: readonly ReportDomainEvent[]): Promise<void> {
    return this.events.publish(tx, events.map(toCloudEvent));
  }
}
