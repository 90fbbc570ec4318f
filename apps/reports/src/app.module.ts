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

/** A multipart submission besides its photos: the report field and the parts' headers (see reports.module.ts). */
const MULTIPART_OVERHEAD_BYTES = 512 * 1024;

/** How main.ts (and the specs that boot the app) serve it with this config. */
export function httpServiceOptions(config: ReportsConfig): HttpServiceOptions {
  return {
    ...HTTP_SERVICE_OPTIONS,
    jsonLimit: config.REPORTS_JSON_LIMIT,
    maxBodyBytes: config.REPORTS_MAX_PHOTOS * config.REPORTS_MAX_PHOTO_BYTES + MULTIPART_OVERHEAD_BYTES,
  };
}

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
