import { type AuthEnv, AuthModule, TypeOrmApiKeyRepository } from '@ioc/auth';
import { DatabaseModule, type DatabaseEnv, type DatabaseModuleOptions } from '@ioc/database';
import { KafkaReadiness, MessagingModule } from '@ioc/messaging';
import {
  type CommonEnv,
  HealthModule,
  ObservabilityModule,
  type ObservabilityOptions,
  postgresReadiness,
} from '@ioc/observability';
import type { DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The part of a service's config the platform reads. */
export type PlatformConfig = CommonEnv & AuthEnv & DatabaseEnv;

/** What differs between services in {@link servicePlatform}. */
export interface ServicePlatformOptions {
  service: string;
  config: PlatformConfig;
  migrations: DatabaseModuleOptions['migrations'];
  /** Integrator API keys (HTTP ingest, Open311) from the service's own `api_keys` table. */
  apiKeys?: boolean;
  /** The outbox relay; off for a service that publishes nothing. Default on. */
  relay?: boolean;
  /** Where logs go instead of stdout, e.g. a test capturing every line. */
  logDestination?: ObservabilityOptions['destination'];
}

/**
 * The modules every service stands on, wired the same way everywhere (DESIGN: one schema per service,
 * outbox, consumers, auth, logs, metrics, health): JSON logs and metrics, the service's data source,
 * Kafka with the outbox relay, authentication, and `/health/ready` checking Postgres and Kafka.
 * A service's AppModule imports these, then its own feature modules.
 */
export function servicePlatform({
  service,
  config,
  migrations,
  apiKeys = false,
  relay = true,
  logDestination,
}: ServicePlatformOptions): DynamicModule[] {
  return [
    ObservabilityModule.forRoot({
      service,
      level: config.LOG_LEVEL,
      ...(logDestination === undefined ? {} : { destination: logDestination }),
    }),
    DatabaseModule.forRoot({
      url: config.DATABASE_URL,
      schema: config.DB_SCHEMA,
      migrations,
      applicationName: service,
      poolSize: config.DB_POOL_SIZE,
      isGlobal: true,
    }),
    MessagingModule.forRoot({
      clientId: config.KAFKA_CLIENT_ID ?? service,
      brokers: config.KAFKA_BROKERS,
      topicSuffix: config.IOC_TOPIC_SUFFIX,
      relay: { enabled: relay },
      isGlobal: true,
    }),
    AuthModule.forRoot({
      config,
      nodeEnv: config.NODE_ENV,
      ...(apiKeys
        ? {
            apiKeys: {
              inject: [DataSource],
              useFactory: (dataSource: DataSource) => new TypeOrmApiKeyRepository(dataSource.manager),
            },
          }
        : {}),
    }),
    HealthModule.forRootAsync({
      inject: [DataSource, KafkaReadiness],
      useFactory: (dataSource: DataSource, kafka: KafkaReadiness) => ({
        checks: [postgresReadiness(dataSource), { name: kafka.name, check: kafka.check }],
      }),
    }),
  ];
}
