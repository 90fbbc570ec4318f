import { EventProducer, TopicNames } from '@ioc/messaging';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SimulatorConfig } from '../config';
import { emptySnapshot } from '../drivers/tally';
import { ProgressDisplay } from '../runner/progress';
import { formatScenarioTime, parseTimeOfDay } from '../runner/scenario-time';
import { createSimulation, type Simulation } from './simulation';
import type { SimulationStatusResponse } from './simulation-status.response';

/**
 * The simulation inside the `simulator` app: started once the app is up (when SIMULATOR_ENABLED), stopped and
 * drained before Kafka's producer disconnects, its progress logged every SIMULATOR_PROGRESS_INTERVAL.
 */
@Injectable()
export class SimulationService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Simulation');
  private simulation: Simulation | undefined;
  private progressTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: SimulatorConfig,
    private readonly producer: EventProducer,
    private readonly topics: TopicNames,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SIMULATOR_ENABLED) return;
    this.simulation = await createSimulation(this.config, {
      producer: this.producer,
      topics: this.topics,
      onError: (error) =>
        this.logger.warn(`an action failed: ${error instanceof Error ? error.message : String(error)}`),
    });
    const { runner, tally } = this.simulation;
    const lines = new ProgressDisplay(
      { write: (line) => this.logger.log(line.trimEnd()) },
      this.config.SIMULATOR_SPEED,
    );
    this.progressTimer = setInterval(
      () => lines.render(runner.status(), tally.snapshot(), Date.now()),
      this.config.SIMULATOR_PROGRESS_INTERVAL,
    );
    this.progressTimer.unref();
    void runner.run().then(
      () => this.logger.log('simulation ended'),
      (error: unknown) =>
        this.logger.error(`simulation stopped: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.progressTimer) clearInterval(this.progressTimer);
    await this.simulation?.runner.stop();
  }

  status(): SimulationStatusResponse {
    const status = this.simulation?.runner.status();
    return {
      running: status?.running ?? false,
      city: this.simulation?.cityCode ?? '',
      seed: this.config.SIMULATOR_SEED,
      speed: this.config.SIMULATOR_SPEED,
      scenarioTime: formatScenarioTime(
        status?.scenarioTime ?? parseTimeOfDay(this.config.SIMULATOR_START_TIME) ?? 0,
      ),
      lagMs: Math.round(status?.lagMs ?? 0),
      performed: status?.performed ?? 0,
      reportsRegistered: this.simulation?.reports.registeredCount ?? 0,
      interfaces: this.simulation?.tally.snapshot() ?? emptySnapshot(),
    };
  }
}
