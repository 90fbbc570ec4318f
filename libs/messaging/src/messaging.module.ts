import { Topics, topicName } from '@ioc/contracts';
import {
  ConfigurableModuleBuilder,
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { ConsumerHealthOptions } from './consumer/consumer-health';
import { ConsumerFactory } from './consumer/consumer.factory';
import { DeadLetterPublisher } from './dlq/dead-letter.publisher';
import { createKafka, type MessagingLogLevel } from './kafka/kafka.factory';
import { KafkaReadiness } from './kafka/kafka.readiness';
import type { MessagingLogger } from './logger';
import { Outbox } from './outbox/outbox';
import { OutboxRelay } from './outbox/outbox.relay';
import { nestMessagingLogger } from './nest-logger';
import { EventProducer } from './producer/event.producer';

/** Options of {@link MessagingModule}. */
export interface MessagingModuleOptions {
  clientId: string;
  brokers: string[];
  /** Appended to topic names and consumer group ids to isolate an environment or a test run. */
  topicSuffix?: string;
  logLevel?: MessagingLogLevel;
  logger?: MessagingLogger;
  /** The outbox relay of the service's schema; on by default, off for a service that publishes nothing. */
  relay?: { enabled?: boolean; batchSize?: number; pollIntervalMs?: number };
  /** Upper bound of a DLQ record (see DeadLetterPublisher). */
  dlqMaxRecordBytes?: number;
  /** Timeout of the readiness probe. Default 3000 ms. */
  readinessTimeoutMs?: number;
  /** When a consumer stops being ready: retrying a transient fault, or stalled, for too long. */
  consumerHealth?: ConsumerHealthOptions;
}

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } =
  new ConfigurableModuleBuilder<MessagingModuleOptions>({
    moduleName: 'Messaging',
  })
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();

const KAFKA = Symbol('KAFKA');

@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(MODULE_OPTIONS_TOKEN) private readonly options: MessagingModuleOptions,
    private readonly producer: EventProducer,
    private readonly relay: OutboxRelay,
    private readonly consumers: ConsumerFactory,
    private readonly readiness: KafkaReadiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.connect();
    if (this.options.relay?.enabled ?? true) await this.relay.start();
  }

  // Before DatabaseModule closes the data source (it does so in onApplicationShutdown): consumers finish
  // their transaction and commit offsets, the relay its batch, then the producer flushes and disconnects.
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumers.stopAll();
    await this.relay.stop();
    await this.producer.disconnect();
    await this.readiness.close();
  }
}

/**
 * Kafka for a Nest service: provides {@link EventProducer}, {@link Outbox}, {@link OutboxRelay} (started at
 * bootstrap, stopped at shutdown), {@link DeadLetterPublisher}, {@link ConsumerFactory} and
 * {@link KafkaReadiness} (the cluster and this service's consumers). Needs the `DataSource` of DatabaseModule. `MessagingModule.forRoot(options)` or
 * `MessagingModule.forRootAsync({ useFactory, inject })`.
 */
@Module({
  providers: [
    {
      provide: KAFKA,
      inject: [MODULE_OPTIONS_TOKEN],
      useFactory: (options: MessagingModuleOptions): Kafka =>
        createKafka({ ...options, logger: options.logger ?? nestMessagingLogger('kafkajs') }),
    },
    { provide: EventProducer, inject: [KAFKA], useFactory: (kafka: Kafka) => EventProducer.create(kafka) },
    { provide: Outbox, useValue: new Outbox() },
    {
      provide: DeadLetterPublisher,
      inject: [EventProducer, MODULE_OPTIONS_TOKEN],
      useFactory: (producer: EventProducer, options: MessagingModuleOptions) =>
        new DeadLetterPublisher(producer, {
          topic: topicName(Topics.dlq, options.topicSuffix),
          maxRecordBytes: options.dlqMaxRecordBytes,
        }),
    },
    {
      provide: OutboxRelay,
      inject: [DataSource, EventProducer, MODULE_OPTIONS_TOKEN],
      useFactory: (dataSource: DataSource, sender: EventProducer, options: MessagingModuleOptions) =>
        new OutboxRelay({
          dataSource,
          sender,
          logger: options.logger ?? nestMessagingLogger('outbox-relay'),
          ...options.relay,
        }),
    },
    {
      provide: ConsumerFactory,
      inject: [KAFKA, DataSource, DeadLetterPublisher, MODULE_OPTIONS_TOKEN],
      useFactory: (
        kafka: Kafka,
        dataSource: DataSource,
        dlq: DeadLetterPublisher,
        options: MessagingModuleOptions,
      ) =>
        new ConsumerFactory({
          kafka,
          dataSource,
          dlq,
          logger: options.logger ?? nestMessagingLogger('consumer'),
          groupSuffix: options.topicSuffix,
          health: options.consumerHealth,
        }),
    },
    {
      provide: KafkaReadiness,
      inject: [KAFKA, MODULE_OPTIONS_TOKEN, ConsumerFactory],
      useFactory: (kafka: Kafka, options: MessagingModuleOptions, consumers: ConsumerFactory) =>
        new KafkaReadiness(kafka, options.readinessTimeoutMs, consumers),
    },
    MessagingLifecycle,
  ],
  exports: [EventProducer, Outbox, OutboxRelay, DeadLetterPublisher, ConsumerFactory, KafkaReadiness],
})
export class MessagingModule extends ConfigurableModuleClass {}
