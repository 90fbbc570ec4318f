import {
  ConfigurableModuleBuilder,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { MessagingLogger } from '../logger';
import { nestMessagingLogger } from '../nest-logger';
import { LiveReaderFactory } from '../live/live-reader';
import { EventProducer } from '../producer/event.producer';
import { createKafka, type KafkaSecurity, type MessagingLogLevel } from './kafka.factory';
import { KafkaReadiness } from './kafka.readiness';
import { TopicNames } from './topic-names';

/**
 * Options of {@link KafkaModule}: how to reach the brokers (their SASL credentials and TLS too, e.g. from
 * `kafkaConnection(config)`), and how this environment names topics.
 */
export interface KafkaModuleOptions extends KafkaSecurity {
  clientId: string;
  brokers: string[];
  /** Appended to topic names and consumer group ids to isolate an environment or a test run. */
  topicSuffix?: string;
  logLevel?: MessagingLogLevel;
  logger?: MessagingLogger;
  /** Timeout of the readiness probe. Default 3000 ms. */
  readinessTimeoutMs?: number;
}

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<KafkaModuleOptions>({
  moduleName: 'Kafka',
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** The options {@link KafkaModule} was given, for the lib's other modules (MessagingModule). */
export const KAFKA_OPTIONS = MODULE_OPTIONS_TOKEN;
/** The service's one kafkajs client, for the lib's other modules. */
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');

@Injectable()
class KafkaLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly producer: EventProducer,
    private readonly readiness: KafkaReadiness,
    private readonly liveReaders: LiveReaderFactory,
  ) {
    readiness.watch(liveReaders);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.connect();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.liveReaders.stopAll();
  }

  // onApplicationShutdown runs after every module's beforeApplicationShutdown, where consumers, the outbox
  // relay and the live readers finish what they send: only then does the producer flush and disconnect.
  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
    await this.readiness.close();
  }
}

/**
 * Kafka for any service, with or without a database: the kafkajs client, the {@link EventProducer}
 * (connected at bootstrap, flushed at shutdown), {@link TopicNames}, the {@link LiveReaderFactory} (readers of live topics with no
 * database) and {@link KafkaReadiness} for `/health/ready`, which watches the live readers. A service
 * that keeps state adds {@link MessagingModule} (outbox, relay, consumers with their inbox, dead letters).
 * `KafkaModule.forRoot(options)` or `KafkaModule.forRootAsync({ useFactory, inject })`.
 */
@Module({
  providers: [
    {
      provide: KAFKA_CLIENT,
      inject: [MODULE_OPTIONS_TOKEN],
      useFactory: (options: KafkaModuleOptions): Kafka =>
        createKafka({ ...options, logger: options.logger ?? nestMessagingLogger('kafkajs') }),
    },
    {
      provide: EventProducer,
      inject: [KAFKA_CLIENT],
      useFactory: (kafka: Kafka) => EventProducer.create(kafka),
    },
    {
      provide: KafkaReadiness,
      inject: [KAFKA_CLIENT, MODULE_OPTIONS_TOKEN],
      useFactory: (kafka: Kafka, options: KafkaModuleOptions) =>
        new KafkaReadiness(kafka, options.readinessTimeoutMs),
    },
    {
      provide: TopicNames,
      inject: [MODULE_OPTIONS_TOKEN],
      useFactory: (options: KafkaModuleOptions) => new TopicNames(options.topicSuffix),
    },
    {
      provide: LiveReaderFactory,
      inject: [KAFKA_CLIENT, TopicNames, MODULE_OPTIONS_TOKEN],
      useFactory: (kafka: Kafka, topics: TopicNames, options: KafkaModuleOptions) =>
        new LiveReaderFactory({
          kafka,
          topics,
          logger: options.logger ?? nestMessagingLogger('live-reader'),
        }),
    },
    KafkaLifecycle,
  ],
  exports: [KAFKA_CLIENT, MODULE_OPTIONS_TOKEN, EventProducer, KafkaReadiness, LiveReaderFactory, TopicNames],
})
export class KafkaModule extends ConfigurableModuleClass {}
