import { EventTypes } from '@ioc/contracts';
import { Injectable } from '@nestjs/common';
import { ReportEventPublisher } from '../reports/report-event.publisher';
import { reportEvent } from '../reports/report-events';
import { nextStatus } from '../reports/report-lifecycle';
import type { Report, TimelineEntry } from '../reports/report';
import { ReportsRepository } from '../reports/reports.repository';
import { ReportsPolicy } from '../reports/reports.policy';
import { Clock } from '../shared/ports';
import { UnitOfWork } from '@ioc/database';

/** What one sweep did. */
export interface SweepResult {
  ackOverdue: number;
  resolveOverdue: number;
  autoClosed: number;
  /** Idempotency keys past their replay window, deleted with the first answer they sealed. */
  idempotencyKeysPurged: number;
}

// Small transactions keep row locks short; a sweep loops until a batch comes back short.
const BATCH = 200;

/**
 * SLA breaches and automatic closing (issue 4). Safe with any number of instances sweeping at once: a breach
 * is marked by a guarded UPDATE in the same transaction as its `overdue` outbox row, so it is announced
 * exactly once; closing claims rows with SKIP LOCKED and re-checks the lifecycle.
 */
@Injectable()
export class SlaService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reports: ReportsRepository,
    private readonly events: ReportEventPublisher,
    private readonly clock: Clock,
    private readonly policy: ReportsPolicy,
  ) {}

  async sweep(): Promise<SweepResult> {
    const now = this.clock.now();
    const ackOverdue = await this.markOverdue('ack', now);
    const resolveOverdue = await this.markOverdue('resolve', now);
    const autoClosed = await this.autoClose(now);
    const idempotencyKeysPurged = await this.purgeIdempotencyKeys(now);
    return { ackOverdue, resolveOverdue, autoClosed, idempotencyKeysPurged };
  }

  // Expired keys are already refused a replay when claimed; purging drops the sealed answers for good.
  private async purgeIdempotencyKeys(now: Date): Promise<number> {
    const expiredBefore = new Date(now.getTime() - this.policy.idempotencyTtlMs);
    let total = 0;
    for (;;) {
      const purged = await this.uow.run((tx) => this.reports.purgeIdempotencyKeys(tx, expiredBefore, BATCH));
      total += purged;
      if (purged < BATCH) return total;
    }
  }

  private async markOverdue(deadline: 'ack' | 'resolve', now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const marked = await this.uow.run(async (tx) => {
        const breached = await this.reports.markOverdue(tx, deadline, now, BATCH);
        const breach = deadline === 'ack' ? 'acknowledge' : 'resolve';
        await this.reports.addTimeline(
          tx,
          breached.map((report) => systemLine(report, now, `overdue:${breach}`, false)),
        );
        await this.events.publish(
          tx,
          breached.map((report) =>
            reportEvent(EventTypes.reportOverdue, report, now, {
              breach,
              dueAt: dueOf(report, deadline).toISOString(),
            }),
          ),
        );
        return breached.length;
      });
      total += marked;
      if (marked < BATCH) return total;
    }
  }

  private async autoClose(now: Date): Promise<number> {
    const answeredBefore = new Date(now.getTime() - this.policy.autoCloseAfterMs);
    let total = 0;
    for (;;) {
      const closed = await this.uow.run(async (tx) => {
        const due = await this.reports.claimResolvedBefore(tx, answeredBefore, BATCH);
        for (const report of due) {
          report.status = nextStatus(report.status, 'close');
          report.closedAt = now;
          report.updatedAt = now;
          await this.reports.update(tx, report);
        }
        await this.reports.addTimeline(
          tx,
          due.map((report) => systemLine(report, now, 'close', true)),
        );
        await this.events.publish(
          tx,
          due.map((report) => reportEvent(EventTypes.reportClosed, report, now, { closedBy: 'system' })),
        );
        return due.length;
      });
      total += closed;
      if (closed < BATCH) return total;
    }
  }
}

function dueOf(report: Report, deadline: 'ack' | 'resolve'): Date {
  // markOverdue only returns reports whose deadline is set.
  return (deadline === 'ack' ? report.ackDueAt : report.resolveDueAt) as Date;
}

function systemLine(report: Report, at: Date, action: string, isPublic: boolean): TimelineEntry {
  return {
    reportId: report.id,
    at,
    action,
    status: report.status,
    actor: 'system',
    actorId: null,
    note: null,
    public: isPublic,
  };
}
