import { PeriodicTask } from '@ioc/database';
import { describeError } from '@ioc/messaging';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { KpiConfig } from '../config';
import { KpiPublisherService } from './kpi-publisher.service';

/**
 * Runs publishing rounds four times per KPI_PUBLISH_INTERVAL, so a dirty key waits at most about 1.25
 * intervals; every instance runs it, the claims (SKIP LOCKED) keep them apart.
 */
@Injectable()
export class KpiPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(KpiPublisher.name);
  private readonly task: PeriodicTask;

  constructor(service: KpiPublisherService, config: KpiConfig) {
    this.task = new PeriodicTask(
      Math.max(25, Math.floor(config.KPI_PUBLISH_INTERVAL / 4)),
      async () => {
        // A full batch means more are waiting: go on until the round comes back short.
        while ((await service.publishDue()) >= config.KPI_PUBLISH_BATCH);
      },
      (error) => this.logger.warn(`publishing failed: ${describeError(error)}; retrying at the next tick`),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
