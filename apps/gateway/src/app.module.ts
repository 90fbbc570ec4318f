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
import { GatewayConfig } from './config';
import { gatewayMigrations } from './migrations';

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
      imports: [
        ObservabilityModule.forRoot({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: config.DB_SCHEMA,
          migrations: gatewayMigrations,
          applicationName: SERVICE_NAME,
          isGlobal: true,
        }),
        MessagingModule.forRoot({
          clientId: config.KAFKA_CLIENT_ID ?? SERVICE_NAME,
          brokers: config.KAFKA_BROKERS,
          topicSuffix: config.IOC_TOPIC_SUFFIX,
          relay: { enabled: false },
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
      providers: [provideConfig(GatewayConfig, config)],
      exports: [GatewayConfig],
    };
  }
}
