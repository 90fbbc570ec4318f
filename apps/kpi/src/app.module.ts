import { AuthModule } from '@ioc/auth';
import { DatabaseModule } from '@ioc/database';
import { KafkaReadiness, MessagingModule } from '@ioc/messaging';
import {
  HealthModule,
  ObservabilityModule,
  postgresReadiness,
  provideConfig,
  type HttpServiceOptions,
} from '@ioc/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KpiConfig } from './config';
import { kpiMigrations } from './migrations';

export const SERVICE_NAME = 'kpi';

export const HTTP_SERVICE_OPTIONS: HttpServiceOptions = {
  title: `IOC ${SERVICE_NAME} service`,
  description:
    'KPI catalog, targets and windowed aggregates from every domain topic; publishes ioc.kpi.updates.',
};

@Module({})
export class AppModule {
  static forRoot(config: KpiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: config.DB_SCHEMA,
          migrations: kpiMigrations,
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
        }),
        HealthModule.forRootAsync({
          inject: [DataSource, KafkaReadiness],
          useFactory: (dataSource: DataSource, kafka: KafkaReadiness) => ({
            checks: [postgresReadiness(dataSource), { name: kafka.name, check: kafka.check }],
          }),
        }),
      ],
      providers: [provideConfig(KpiConfig, config)],
      exports: [KpiConfig],
    };
  }
}
