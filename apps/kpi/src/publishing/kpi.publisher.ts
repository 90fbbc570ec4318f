import { PeriodicJob } from '@ioc/database';
import { Injectable } from '@nestjs/common';
import { KpiConfig } from '../config';
import { KpiPublisherService } from './kpi-publisher.service';

/**
 * Runs publishing rounds four times per KPI_PUBLISH_INTERVAL, so a dirty key waits at most about 1.25
 * intervals; every instance runs it, the claims (SKIP LOCKED) keep them apart.
 */
@Injectable()
export class KpiPublisher extends PeriodicJob {
  constructor(
    private readonly service: KpiPublisherService,
    private readonly config: KpiConfig,
  ) {
    super(Math.max(25, Math.floor(config.KPI_PUBLISH_INTERVAL / 4)), 'publishing');
  }

  protected async run(): Promise<void> {
    // A full batch means more are waiting: go on until the round comes back short.
    while ((await this.service.publishDue()) >= this.config.KPI_PUBLISH_BATCH);
  }
}
