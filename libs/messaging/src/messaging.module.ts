import { Topics } from '@ioc/contracts';
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
import { defaultInboxRetention, InboxPruner } from './inbox/inbox.pruner';
import { KAFKA_CLIENT, KAFKA_OPTIONS, type KafkaModuleOptions } from './kafka/kafka.module';
import { TopicNames } from './kafka/topic-names';
import { KafkaReadiness } from './kafka/kafka.readiness';
import type { MessagingLogger } from './logger';
import { Outbox } from './outbox/outbox';
import { OutboxRelay } from './outbox/outbox.relay';
import { nestMessagingLogger } from './nest-logger';
import { EventProducer } from './producer/event.producer';

/** Options of {@link MessagingModule}; the brokers, client id and topic suffix are {@link KafkaModule}'s. */
export interface MessagingModuleOptions {
  logger?: MessagingLogger;
  /** The outbox relay of the service's schema; on by default, off for a service that publishes nothing. */
  relay?: { enabled?: boolean; batchSize?: number; pollIntervalMs?: number };
  /** Upper bound of a DLQ record (see DeadLetterPublisher). */
  dlqMaxRecordBytes?: number;
  /** When a consumer stops being ready: retrying a transient fault, or stalled, for too long. */
  consumerHealth?: ConsumerHealthOptions;
  /** Pruning of the service's inbox (see {@link MessagingInboxPrunerOptions}); on by default. */
  inboxPruner?: MessagingInboxPrunerOptions;
}

/**
 * Pruning of the inbox by {@link InboxPruner}. Its retention is `retentionMs`, or by default the longest
 * `retention.ms` of the catalog topics that `service` consumes plus `marginMs` (see defaultInboxRetention);
 * with no such default (the service consumes nothing in the catalog, or a topic that keeps records forever)
 * the pruner stays off and says so in the log.
 */
export interface MessagingInboxPrunerOptions {
  enabled?: boolean;
  /** The application id the topic catalog lists among a topic's consumers. Default: KafkaModule's `clientId`. */
  service?: string;
  retentionMs?: number;
  marginMs?: number;
  intervalMs?: number;
  batchSize?: number;
}

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } =
  new ConfigurableModuleBuilder<MessagingModuleOptions>({
    moduleName: 'Messaging',
  })
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();

function inboxPrunerFor(
  options: MessagingModuleOptions,
  kafkaOptions: KafkaModuleOptions,
  dataSource: DataSource,
): InboxPruner | undefined {
  const settings = options.inboxPruner ?? {};
  if (settings.enabled === false) return undefined;
  const logger = options.logger ?? nestMessagingLogger('inbox-pruner');
  let retentionMs = settings.retentionMs;
  if (retentionMs === undefined) {
    const derived = defaultInboxRetention(settings.service ?? kafkaOptions.clientId, {
      marginMs: settings.marginMs,
    });
    if (!derived.ok) {
      // Keeping ids for ever is right for a consumer of a topic that keeps records for ever; consuming
      // nothing the catalog knows is more likely a client id that is not the application's id.
      const log = derived.reason === 'keeps-forever' ? logger.info : logger.warn;
      log.call(
        logger,
        { ...derived, option: 'inboxPruner.retentionMs' },
        'inbox pruning is off: no retention can be derived from the topic catalog',
      );
      return undefined;
    }
    retentionMs = derived.retentionMs;
  }
  return new InboxPruner({
    dataSource,
    retentionMs,
    batchSize: settings.batchSize,
    intervalMs: settings.intervalMs,
    logger,
  });
}

@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly pruner: InboxPruner | undefined;

  constructor(
    @Inject(MODULE_OPTIONS_TOKEN) private readonly options: MessagingModuleOptions,
    @Inject(KAFKA_OPTIONS) kafkaOptions: KafkaModuleOptions,
    private readonly relay: OutboxRelay,
    private readonly consumers: ConsumerFactory,
    readiness: KafkaReadiness,
    dataSource: DataSource,
  ) {
    // Built here so that a bad retention stops the service at start-up.
    this.pruner = inboxPrunerFor(options, kafkaOptions, dataSource);
    readiness.watch(consumers);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.relay?.enabled ?? true) await this.relay.start();
    await this.pruner?.start();
  }

  // Before DatabaseModule closes the data source and KafkaModule the producer (both in onApplicationShutdown):
  // consumers finish their transaction and commit offsets, the relay its batch, the pruner its batch.
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumers.stopAll();
    await this.relay.stop();
    await this.pruner?.stop();
  }
}

/**
 * What a service that keeps state in Postgres adds to {@link KafkaModule}: the {@link Outbox} and its
 * {@link OutboxRelay} (started at bootstrap, stopped at shutdown, like the {@link InboxPruner}), the
 * {@link DeadLetterPublisher} and the {@link ConsumerFactory}, whose consumers join the service's
 * {@link KafkaReadiness}. Needs KafkaModule and DatabaseModule's `DataSource`.
 * `MessagingModule.forRoot(options)` or `MessagingModule.forRootAsync({ useFactory, inject })`.
 */
@Module({
  providers: [
    { provide: Outbox, useValue: new Outbox() },
    {
      provide: DeadLetterPublisher,
      inject: [EventProducer, TopicNames, MODULE_OPTIONS_TOKEN],
      useFactory: (producer: EventProducer, topics: TopicNames, options: MessagingModuleOptions) =>
        new DeadLetterPublisher(producer, {
          topic: topics.of(Topics.dlq),
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
      inject: [KAFKA_CLIENT, TopicNames, DataSource, DeadLetterPublisher, MODULE_OPTIONS_TOKEN],
      useFactory: (
        kafka: Kafka,
        topics: TopicNames,
        dataSource: DataSource,
        dlq: DeadLetterPublisher,
        options: MessagingModuleOptions,
      ) =>
        new ConsumerFactory({
          kafka,
          dataSource,
          dlq,
          logger: options.logger ?? nestMessagingLogger('consumer'),
          topics,
          health: options.consumerHealth,
        }),
    },
    MessagingLifecycle,
  ],
  exports: [Outbox, OutboxRelay, DeadLetterPublisher, ConsumerFactory],
})
export class MessagingModule extends ConfigurableModuleClass {}
