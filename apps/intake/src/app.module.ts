import { servicePlatform } from '@ioc/platform';
import type { HttpServiceOptions } from '@ioc/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { IngestModule } from './ingest/ingest.module';
import { StreamProcessingModule } from './stream-processing.module';
import { IntakeConfig } from './config';
import { intakeMigrations } from './migrations';

export const SERVICE_NAME = 'intake';

/** How main.ts serves the app; openapi.spec.ts describes it the same way. */
export const HTTP_SERVICE_OPTIONS: HttpServiceOptions = {
  title: `IOC ${SERVICE_NAME} service`,
  description:
    'Camera detections, heartbeats and traffic observations become incidents, camera status and road congestion; HTTP and NGSI-LD ingest for integrators.',
};

/** How main.ts (and the specs that boot the app) serve it with this config: ingest bodies may be larger. */
export function httpServiceOptions(config: IntakeConfig): HttpServiceOptions {
  return { ...HTTP_SERVICE_OPTIONS, maxBodyBytes: config.INTAKE_INGEST_MAX_BODY_BYTES };
}

/** What a caller may change about the app beyond its config: `logDestination` lets a test read every log line. */
export interface AppOptions {
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: IntakeConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...servicePlatform({
          service: SERVICE_NAME,
          config,
          configToken: IntakeConfig,
          logDestination: options.logDestination,
          migrations: intakeMigrations,
          apiKeys: true,
        }),
        StreamProcessingModule,
        IngestModule.forRoot(config),
      ],
    };
  }
}
