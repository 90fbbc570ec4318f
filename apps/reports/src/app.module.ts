import { AuthModule, TypeOrmApiKeyRepository } from '@ioc/auth';
import { DatabaseModule } from '@ioc/database';
import { KafkaReadiness, MessagingModule } from '@ioc/messaging';
import { HealthModule, ObservabilityModule, postgresReadiness, provideConfig } from '@ioc/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { ReportsConfig } from './config';
import { reportsMigrations } from './migrations';
import { ReportsModule } from './reports.module';

export const SERVICE_NAME = 'reports';

/** How main.ts serves the app; the OpenAPI document (cli/openapi.ts) describes it the same way. */
export const HTTP_SERVICE_OPTIONS = {
  title: `IOC ${SERVICE_NAME} service`,
  description:
    'Citizen field reports ("phản ánh hiện trường"): submission, routing, SLA, agency work, citizen ' +
    'confirmation and rating; Open311 GeoReport v2 at /open311/v2.',
} as const;

@Module({})
export class AppModule {
  /** `options.logDestination` lets a test read every log line the service writes. */
  static forRoot(config: ReportsConfig, options: { logDestination?: DestinationStream } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({
          service: SERVICE_NAME,
          level: config.LOG_LEVEL,
          ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
        }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: config.DB_SCHEMA,
          migrations: reportsMigrations,
          applicationName: SERVICE_NAME,
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
        ReportsModule,
      ],
      providers: [provideConfig(ReportsConfig, config)],
      exports: [ReportsConfig],
      global: true,
    };
  }
}
