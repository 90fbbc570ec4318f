import { type HttpServiceOptions } from '@ioc/observability';
import { kafkaServicePlatform } from '@ioc/platform';
import { type DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { SimulatorConfig } from './config';
import { SimulationModule } from './simulation/simulation.module';

export const SERVICE_NAME = 'simulator';

export const HTTP_SERVICE_OPTIONS: HttpServiceOptions = {
  title: `IOC ${SERVICE_NAME}`,
  description: 'Realistic demo and load traffic through the public interfaces (Kafka topics and REST).',
};

/** What a caller may change about the app beyond its config: `logDestination` lets a test read every log line. */
export interface AppOptions {
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: SimulatorConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      // No callers of its own: it is a client of the other services' public interfaces.
      imports: [
        ...kafkaServicePlatform({
          service: SERVICE_NAME,
          config,
          configToken: SimulatorConfig,
          auth: false,
          logDestination: options.logDestination,
        }),
        SimulationModule,
      ],
    };
  }
}
