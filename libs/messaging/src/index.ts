export {
  createKafka,
  type CreateKafkaOptions,
  type KafkaConnection,
  type KafkaSasl,
  type KafkaSecurity,
  type MessagingLogLevel,
} from './kafka/kafka.factory';
export { kafkaConnection } from './kafka/kafka-connection';
export { provisionTopicsEnv } from './cli/provision-topics.env';
export { KafkaReadiness, type ConsumerHealthSource } from './kafka/kafka.readiness';
export { KAFKA_CLIENT, KafkaModule, type KafkaModuleOptions } from './kafka/kafka.module';
export { TopicNames } from './kafka/topic-names';
export {
  type LiveEvent,
  type LivePosition,
  LiveReader,
  LiveReaderFactory,
  type LiveReaderOptions,
} from './live/live-reader';
export {
  provisionTopics,
  topicConfig,
  type ProvisionReport,
  type ProvisionTopicsOptions,
} from './topics/provision-topics';
export { EventProducer, type TopicEvent } from './producer/event.producer';
export { RecordSender, type OutboundRecord, type RecordHeaders } from './producer/record-sender';
export { Outbox, type OutboxInsert, type OutboxRows } from './outbox/outbox';
export { OutboxRelay, type OutboxRelayOptions } from './outbox/outbox.relay';
export { MessagingOutboxInbox1795305600000 } from './outbox/outbox.migration';
export { outboxChannel } from './outbox/outbox-channel';
export {
  DEFAULT_INBOX_MARGIN_MS,
  defaultInboxRetention,
  InboxPruner,
  type InboxPrunerOptions,
  type InboxRetentionUnknown,
  type PruneResult,
} from './inbox/inbox.pruner';
export { MessagingInboxProcessedAt1795600000000 } from './inbox/inbox-prune.migration';
export {
  BatchConsumerRunner,
  type AfterCommitInfo,
  type BatchConsumerRunnerOptions,
  type BatchEventHandler,
  type ConsumeContext,
  type ConsumedEvent,
  type EventHandler,
} from './consumer/batch-consumer.runner';
export { ConsumerFactory, type ConsumerRegistration } from './consumer/consumer.factory';
export type { ConsumerHealthOptions } from './consumer/consumer-health';
export { RetryPolicy, type RetryOptions } from './consumer/retry.policy';
export { DeadLetterPublisher, type DeadLetterPublisherOptions } from './dlq/dead-letter.publisher';
export {
  buildDeadLetterRecord,
  DlqHeaders,
  DlqReasons,
  sanitizeDetail,
  type ConsumedMessage,
  type DeadLetter,
} from './dlq/dead-letter.message';
export {
  classifyFailure,
  describeError,
  FailureReasons,
  MessagingError,
  PoisonMessageError,
  RetriesExhaustedError,
  type FailureClass,
} from './messaging.errors';
export { messagingMetrics } from './metrics';
export { silentLogger, type MessagingLogger } from './logger';
export {
  MessagingModule,
  type MessagingInboxPrunerOptions,
  type MessagingModuleOptions,
} from './messaging.module';
