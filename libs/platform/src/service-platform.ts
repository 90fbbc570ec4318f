import { type AuthEnv, AuthModule, TypeOrmApiKeyRepository } from '@ioc/auth';
import { DatabaseModule, type DatabaseEnv, type DatabaseModuleOptions } from '@ioc/database';
import { kafkaConnection, KafkaModule, KafkaReadiness, MessagingModule } from '@ioc/messaging';
import {
  type CommonEnv,
  type ConfigToken,
  HealthModule,
  ObservabilityModule,
  type ObservabilityOptions,
  postgresReadiness,
  provideConfig,
} from '@ioc/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, SystemClock } from './clock';

/** The part of a database service's config the platform reads. */
export type PlatformConfig = CommonEnv & AuthEnv & DatabaseEnv;

/** What every service tells the platform. */
interface PlatformOptions<C> {
  service: string;
  /** The app's config, parsed once in main.ts, and its DI token: provided globally to every module. */
  config: C;
  configToken: ConfigToken<C>;
  /** Where logs go instead of stdout, e.g. a test capturing every line. */
  logDestination?: ObservabilityOptions['destination'];
}

/**
 * What differs between Kafka-only services in {@link kafkaServicePlatform}. Callers' tokens are verified
 * (HTTP and Socket.IO guards, so the config includes `authEnv`) unless `auth: false`, for a service with no
 * callers of its own.
 */
export type KafkaServicePlatformOptions<C extends CommonEnv> = PlatformOptions<C> &
  ({ auth: false } | { auth?: true; config: C & AuthEnv });

/** What differs between database services in {@link servicePlatform}. */
export interface ServicePlatformOptions<C extends PlatformConfig> extends PlatformOptions<C> {
  migrations: DatabaseModuleOptions['migrations'];
  /** Integrator API keys (HTTP ingest, Open311) from the service's own `api_keys` table. */
  apiKeys?: boolean;
  /** The outbox relay; off for a service that publishes nothing. Default on. */
  relay?: boolean;
}

@Module({})
class ServiceConfigModule {
  /** The app's config and the system clock, global so that feature modules inject them without providing them. */
  static forRoot<C>(token: ConfigToken<C>, config: C): DynamicModule {
    return {
      module: ServiceConfigModule,
      global: true,
      providers: [provideConfig(token, config), { provide: Clock, useClass: SystemClock }],
      exports: [token, Clock],
    };
  }
}

function observability<C extends CommonEnv>({ service, config, logDestination }: PlatformOptions<C>) {
  return ObservabilityModule.forRoot({
    service,
    level: config.LOG_LEVEL,
    ...(logDestination === undefined ? {} : { destination: logDestination }),
  });
}

function kafka(service: string, config: CommonEnv): DynamicModule {
  return KafkaModule.forRoot({
    clientId: config.KAFKA_CLIENT_ID ?? service,
    ...kafkaConnection(config),
    topicSuffix: config.IOC_TOPIC_SUFFIX,
    isGlobal: true,
  });
}

/**
 * The modules a Kafka-only service (gateway, simulator) stands on, with no database: its config, JSON logs
 * and metrics, Kafka (client, producer), authentication when it has callers, and `/health/ready` checking
 * Kafka. A service's AppModule imports these, then its own feature modules.
 */
export function kafkaServicePlatform<C extends CommonEnv>(
  options: KafkaServicePlatformOptions<C>,
): DynamicModule[] {
  const { service, config, configToken } = options;
  return [
    ServiceConfigModule.forRoot(configToken, config),
    observability(options),
    kafka(service, config),
    ...(options.auth === false
      ? []
      : [AuthModule.forRoot({ config: options.config, nodeEnv: config.NODE_ENV })]),
    HealthModule.forRootAsync({
      inject: [KafkaReadiness],
      useFactory: (readiness: KafkaReadiness) => ({
        checks: [{ name: readiness.name, check: readiness.check }],
      }),
    }),
  ];
}

/**
 * The modules a service that keeps state stands on, wired the same way everywhere (docs/architecture.md,
 * "Services"): its config, JSON logs and metrics, its own schema (migrated at start), Kafka with the outbox
 * relay, consumers with their inbox and the dead-letter topic, authentication, and `/health/ready` checking
 * Postgres, Kafka and the consumers. A service's AppModule imports these, then its own feature modules.
 */
export function servicePlatform<C extends PlatformConfig>(
  options: ServicePlatformOptions<C>,
): DynamicModule[] {
  const { service, config, configToken, migrations, apiKeys = false, relay = true } = options;
  return [
    ServiceConfigModule.forRoot(configToken, config),
    observability(options),
    DatabaseModule.forRoot({
      url: config.DATABASE_URL,
      schema: config.DB_SCHEMA,
      migrations,
      applicationName: service,
      poolSize: config.DB_POOL_SIZE,
      isGlobal: true,
    }),
    kafka(service, config),
    MessagingModule.forRoot({ relay: { enabled: relay }, isGlobal: true }),
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
      useFactory: (dataSource: DataSource, readiness: KafkaReadiness) => ({
        checks: [postgresReadiness(dataSource), { name: readiness.name, check: readiness.check }],
      }),
    }),
  ];
}
