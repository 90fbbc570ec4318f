import { servicePlatform } from '@ioc/platform';
import type { HttpServiceOptions } from '@ioc/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';

import { KpiConfig } from './config';
import { KpiModule } from './kpi.module';
import { kpiMigrations } from './migrations';

export const SERVICE_NAME = 'kpi';

export const HTTP_SERVICE_OPTIONS: HttpServiceOptions = {
  title: `IOC ${SERVICE_NAME} service`,
  description:
    "The city's KPIs computed live from the reports, incidents, cameras, traffic and observation topics: catalog, values with projection and status, history and ranking; publishes ioc.kpi.updates.",
};

/** What a caller may change about the app beyond its config: `logDestination` lets a test read every log line. */
export interface AppOptions {
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: KpiConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...servicePlatform({
          service: SERVICE_NAME,
          config,
          configToken: KpiConfig,
          logDestination: options.logDestination,
          migrations: kpiMigrations,
        }),
        KpiModule,
      ],
    };
  }
}
