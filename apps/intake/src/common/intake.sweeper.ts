import { PeriodicJob } from '@ioc/database';
import { Injectable } from '@nestjs/common';
import { CameraStatusService } from '../cameras/camera-status.service';
import { IntakeConfig } from '../config';
import { IncidentsService } from '../incidents/incidents.service';

/**
 * Runs the clock-driven rules every INTAKE_SWEEP_INTERVAL: quiet incidents clear, withheld updates go out,
 * silent cameras go offline. Every instance sweeps; the services make that safe (SKIP LOCKED claims).
 */
@Injectable()
export class IntakeSweeper extends PeriodicJob {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly cameras: CameraStatusService,
    config: IntakeConfig,
  ) {
    super(config.INTAKE_SWEEP_INTERVAL, 'sweep');
  }

  protected async run(): Promise<void> {
    await this.incidents.sweep();
    await this.cameras.sweep();
  }
}
