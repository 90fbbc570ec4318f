import { servicePlatform } from '@ioc/platform';
import type { HttpServiceOptions } from '@ioc/observability';
import { type DynamicModule, Module } from '@nestjs/common';
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
  return { ...HTTP_SERVICE_OPTIONS, maxBodyBytes: config.INGEST_MAX_BODY_BYTES };
}

@Module({})
export class AppModule {
  static forRoot(config: IntakeConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...servicePlatform({
          service: SERVICE_NAME,
          config,
          configToken: IntakeConfig,
          migrations: intakeMigrations,
          apiKeys: true,
        }),
        StreamProcessingModule,
        IngestModule.forRoot(config),
      ],
    };
  }
}
