import { PeriodicTask } from '@ioc/database';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { ReportsConfig } from '../config';
import { SlaService } from './sla.service';

/**
 * Runs {@link SlaService.sweep} every REPORTS_SWEEP_INTERVAL on every instance; the sweep itself is safe to run
 * concurrently, so no leader election is needed. A failed sweep is logged and retried at the next tick.
 */
@Injectable()
export class SlaSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SlaSweeper.name);
  private readonly task: PeriodicTask;

  constructor(
    sla: SlaService,
    private readonly config: ReportsConfig,
  ) {
    this.task = new PeriodicTask(
      config.REPORTS_SWEEP_INTERVAL,
      async () => {
        const result = await sla.sweep();
        if (Object.values(result).some((count) => count > 0))
          this.logger.log({ msg: 'SLA sweep', ...result });
      },
      (error) => this.logger.error({ msg: 'SLA sweep failed', err: error }),
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.REPORTS_SWEEP_ENABLED) this.task.start();
  }

  // Before the data source closes (DatabaseModule closes it on application shutdown).
  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
