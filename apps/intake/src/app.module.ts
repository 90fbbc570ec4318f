import { AuthModule, TypeOrmApiKeyRepository } from '@ioc/auth';
import { DatabaseModule } from '@ioc/database';
import { KafkaReadiness, MessagingModule } from '@ioc/messaging';
import {
  HealthModule,
  type HttpServiceOptions,
  ObservabilityModule,
  postgresReadiness,
  provideConfig,
} from '@ioc/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IntakeConfig } from './config';
import { intakeMigrations } from './migrations';
import { IngestModule } from './ingest/ingest.module';
import { StreamProcessingModule } from './stream-processing.module';

export const SERVICE_NAME = 'intake';

/** How main.ts serves the app; the OpenAPI generator (cli/openapi.ts) describes it the same way. */
export const HTTP_SERVICE_OPTIONS: HttpServiceOptions = {
  title: `IOC ${SERVICE_NAME} service`,
  description:
    'Camera detections, heartbeats and traffic observations become incidents, camera status and road congestion; HTTP and NGSI-LD ingest for integrators.',
};

@Module({})
export class AppModule {
  static forRoot(config: IntakeConfig): DynamicModule {
    return {
      module: AppModule,
      // Global so feature modules inject IntakeConfig without each providing it again.
      global: true,
      imports: [
        ObservabilityModule.forRoot({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: config.DB_SCHEMA,
          migrations: intakeMigrations,
          applicationName: SERVICE_NAME,
          poolSize: config.DB_POOL_SIZE,
          isGlobal: true,
        }),
        MessagingModule.forRoot({
          clientId: config.KAFKA_CLIENT_ID ?? SERVICE_NAME,
          brokers: config.KAFKA_BROKERS,
          topicSuffix: config.IOC_TOPIC_SUFFIX,
          isGlobal: true,
        }),
        AuthModule.forRoot({
          config,
          nodeEnv: config.NODE_ENV,
          apiKeys: {
            inject: [DataSource],
            useFactory: (dataSource: DataSource) => new TypeOrmApiKeyRepository(dataSource.manager),
          },
        }),
        HealthModule.forRootAsync({
          inject: [DataSource, KafkaReadiness],
          useFactory: (dataSource: DataSource, kafka: KafkaReadiness) => ({
            checks: [postgresReadiness(dataSource), { name: kafka.name, check: kafka.check }],
          }),
        }),
        // Intake's features, one per line.
        StreamProcessingModule,
        IngestModule.forRoot(config),
      ],
      providers: [provideConfig(IntakeConfig, config)],
      exports: [IntakeConfig],
    };
  }
}
