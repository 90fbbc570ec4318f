import { kafkaServicePlatform } from '@ioc/platform';
import type { HttpServiceOptions } from '@ioc/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';

import { GatewayConfig } from './config';
import { WallModule } from './wall/wall.module';

export const SERVICE_NAME = 'gateway';

export const HTTP_SERVICE_OPTIONS: HttpServiceOptions = {
  title: `IOC ${SERVICE_NAME} service`,
  description:
    'Live gateway: Socket.IO rooms for the operations wall and agency consoles, replay buffer, and the wall page.',
};

/** What a caller may change about the app beyond its config: `logDestination` lets a test read every log line. */
export interface AppOptions {
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...kafkaServicePlatform({
          service: SERVICE_NAME,
          config,
          configToken: GatewayConfig,
          logDestination: options.logDestination,
        }),
        WallModule.forRoot(config),
      ],
    };
  }
}
