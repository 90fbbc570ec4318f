import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { DeadLetterPublisher } from '../dlq/dead-letter.publisher';
import type { MessagingLogger } from '../logger';
import { BatchConsumerRunner, type BatchConsumerRunnerOptions } from './batch-consumer.runner';

/** A consumer's own settings; the factory supplies the Kafka client, data source, DLQ and logger. */
export type ConsumerRegistration = Omit<BatchConsumerRunnerOptions, 'kafka' | 'dataSource' | 'dlq'>;

/**
 * Creates {@link BatchConsumerRunner}s wired to the service's Kafka client, data source and DLQ, and stops
 * them all on shutdown (MessagingModule calls {@link ConsumerFactory.stopAll}). The app starts each one.
 */
export class ConsumerFactory {
  private readonly runners: BatchConsumerRunner[] = [];

  constructor(
    private readonly deps: {
      kafka: Kafka;
      dataSource: DataSource;
      dlq: DeadLetterPublisher;
      logger?: MessagingLogger;
      /**
       * Appended to every group id, like the topic suffix to topic names: two environments (or test runs)
       * sharing a broker must not share a group, or members subscribed to different topics would be
       * assigned each other's partitions and never consume them.
       */
      groupSuffix?: string;
    },
  ) {}

  create(registration: ConsumerRegistration): BatchConsumerRunner {
    const { kafka, dataSource, dlq, logger, groupSuffix } = this.deps;
    const runner = new BatchConsumerRunner({
      ...registration,
      groupId: groupSuffix ? `${registration.groupId}.${groupSuffix}` : registration.groupId,
      kafka,
      dataSource,
      dlq,
      logger: registration.logger ?? logger,
    });
    this.runners.push(runner);
    return runner;
  }

  /** Stops every runner created here, each finishing its chunk in flight. */
  async stopAll(): Promise<void> {
    await Promise.all(this.runners.splice(0).map((runner) => runner.stop()));
  }

  /** True when no runner has crashed for good. */
  isHealthy(): boolean {
    return this.runners.every((runner) => runner.isHealthy());
  }
}
