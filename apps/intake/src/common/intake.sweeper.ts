import { PeriodicTask } from '@ioc/database';
import { describeError } from '@ioc/messaging';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CameraStatusService } from '../cameras/camera-status.service';
import { IntakeConfig } from '../config';
import { IncidentsService } from '../incidents/incidents.service';

/**
 * Runs the clock-driven rules every INTAKE_SWEEP_INTERVAL: quiet incidents clear, withheld updates go out,
 * silent cameras go offline. Every instance sweeps; the services make that safe (SKIP LOCKED claims).
 */
@Injectable()
export class IntakeSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IntakeSweeper.name);
  private readonly task: PeriodicTask;

  constructor(incidents: IncidentsService, cameras: CameraStatusService, config: IntakeConfig) {
    this.task = new PeriodicTask(
      config.INTAKE_SWEEP_INTERVAL,
      async () => {
        await incidents.sweep();
        await cameras.sweep();
      },
      (error) => this.logger.warn(`sweep failed: ${describeError(error)}; retrying at the next tick`),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  // Before DatabaseModule closes the data source: the sweep in flight finishes its transaction.
  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
