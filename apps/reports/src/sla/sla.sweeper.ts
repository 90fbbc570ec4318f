import { PeriodicJob } from '@ioc/database';
import { Injectable } from '@nestjs/common';
import { ReportsConfig } from '../config';
import { SlaService } from './sla.service';

/** Runs {@link SlaService.sweep} every REPORTS_SWEEP_INTERVAL on every instance (the sweep is safe to run concurrently). */
@Injectable()
export class SlaSweeper extends PeriodicJob {
  constructor(
    private readonly sla: SlaService,
    config: ReportsConfig,
  ) {
    super(config.REPORTS_SWEEP_INTERVAL, 'SLA sweep', config.REPORTS_SWEEP_ENABLED);
  }

  protected async run(): Promise<void> {
    const result = await this.sla.sweep();
    if (Object.values(result).some((count) => count > 0)) this.logger.log({ msg: 'SLA sweep', ...result });
  }
}
