import { kafkaServicePlatform } from '@ioc/platform';
import type { HttpServiceOptions } from '@ioc/observability';
import { type DynamicModule, Module } from '@nestjs/common';

import { GatewayConfig } from './config';

export const SERVICE_NAME = 'gateway';

export const HTTP_SERVICE_OPTIONS: HttpServiceOptions = {
  title: `IOC ${SERVICE_NAME} service`,
  description:
    'Live gateway: Socket.IO rooms for the operations wall and agency consoles, replay buffer, and the wall page.',
};

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [...kafkaServicePlatform({ service: SERVICE_NAME, config, configToken: GatewayConfig })],
    };
  }
}
