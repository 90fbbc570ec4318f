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
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly sla: SlaService,
    private readonly config: ReportsConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.REPORTS_SWEEP_ENABLED) return;
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, this.config.REPORTS_SWEEP_INTERVAL);
    this.timer.unref();
  }

  // Before the data source closes (DatabaseModule closes it on application shutdown).
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      const result = await this.sla.sweep();
      if (Object.values(result).some((count) => count > 0)) this.logger.log({ msg: 'SLA sweep', ...result });
    } catch (error) {
      this.logger.error({ msg: 'SLA sweep failed', err: error });
    }
  }
}
