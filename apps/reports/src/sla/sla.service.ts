import { UnitOfWork } from '@ioc/database';
import { Injectable } from '@nestjs/common';
import type { SlaDeadline } from '../reports/report';
import { ReportStore } from '../reports/report-store';
import { ReportsRepository } from '../reports/reports.repository';
import { ReportsPolicy } from '../reports/reports.policy';
import { Clock } from '@ioc/platform';

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
 * SLA breaches and automatic closing, through the report's own transitions (`markOverdue`, `close`). Safe with
 * any number of instances sweeping at once: each batch claims its rows with SKIP LOCKED and marks or closes
 * them in the same transaction as their outbox rows, so each is announced exactly once.
 */
@Injectable()
export class SlaService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reports: ReportsRepository,
    private readonly store: ReportStore,
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

  private async markOverdue(deadline: SlaDeadline, now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const marked = await this.uow.run(async (tx) => {
        const breached = await this.reports.claimOverdue(tx, deadline, now, BATCH);
        for (const report of breached) report.markOverdue(deadline, now);
        await this.store.save(tx, breached);
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
        for (const report of due) report.close('system', now);
        await this.store.save(tx, due);
        return due.length;
      });
      total += closed;
      if (closed < BATCH) return total;
    }
  }
}
