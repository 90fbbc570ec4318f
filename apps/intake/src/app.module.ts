import { AuthModule, TypeOrmApiKeyRepository } from '@ioc/auth';
import { DatabaseModule } from '@ioc/database';
import { KafkaReadiness, MessagingModule } from '@ioc/messaging';
import { HealthModule, ObservabilityModule, postgresReadiness, provideConfig } from '@ioc/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IntakeConfig } from './config';
import { intakeMigrations } from './migrations';

export const SERVICE_NAME = 'intake';

@Module({})
export class AppModule {
  static forRoot(config: IntakeConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: config.DB_SCHEMA,
          migrations: intakeMigrations,
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
      ],
      providers: [provideConfig(IntakeConfig, config)],
      exports: [IntakeConfig],
    };
  }
}
