import { servicePlatform } from '@ioc/platform';
import type { HttpServiceOptions } from '@ioc/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { ReportsModule } from './reports.module';
import { ReportsConfig } from './config';
import { reportsMigrations } from './migrations';

export const SERVICE_NAME = 'reports';

/** How main.ts serves the app; openapi.spec.ts describes it the same way. */
export const HTTP_SERVICE_OPTIONS: HttpServiceOptions = {
  title: `IOC ${SERVICE_NAME} service`,
  description:
    'Citizen field reports ("phản ánh hiện trường"): submission, routing, SLA, agency work, citizen ' +
    'confirmation and rating; Open311 GeoReport v2 at /open311/v2.',
};

@Module({})
export class AppModule {
  /** `options.logDestination` lets a test read every log line the service writes. */
  static forRoot(config: ReportsConfig, options: { logDestination?: DestinationStream } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...servicePlatform({
          service: SERVICE_NAME,
          config,
          configToken: ReportsConfig,
          migrations: reportsMigrations,
          apiKeys: true,
          logDestination: options.logDestination,
        }),
        ReportsModule,
      ],
    };
  }
}
