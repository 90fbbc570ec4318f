import { kafkaServicePlatform } from '@ioc/platform';
import type { HttpServiceOptions } from '@ioc/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';

import { ActionsModule } from './actions/actions.module';
import { GatewayConfig } from './config';
import { LiveModule } from './live/live.module';
import { WallModule } from './wall/wall.module';

export const SERVICE_NAME = 'gateway';

export const HTTP_SERVICE_OPTIONS: HttpServiceOptions = {
  title: `IOC ${SERVICE_NAME} service`,
  description:
    'Live gateway: pushes the live topics over Socket.IO (namespace `/live`) to the operations wall and agency ' +
    "consoles, resumable by cursor, and forwards operators' actions to the services that own them.",
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
        LiveModule,
        ActionsModule,
        WallModule.forRoot(config),
      ],
    };
  }
}
