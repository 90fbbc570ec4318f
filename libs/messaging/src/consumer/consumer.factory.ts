import type { TopicName } from '@ioc/contracts';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { DeadLetterPublisher } from '../dlq/dead-letter.publisher';
import type { TopicNames } from '../kafka/topic-names';
import type { MessagingLogger } from '../logger';
import { BatchConsumerRunner, type BatchConsumerRunnerOptions } from './batch-consumer.runner';
import type { ConsumerHealthOptions } from './consumer-health';

/**
 * A consumer's own settings; the factory supplies the Kafka client, data source, DLQ and logger, and turns the
 * catalog's topic names and the group id into this environment's ({@link TopicNames}).
 */
export type ConsumerRegistration = Omit<
  BatchConsumerRunnerOptions,
  'kafka' | 'dataSource' | 'dlq' | 'topics'
> & {
  topics: readonly TopicName[];
};

/**
 * Creates {@link BatchConsumerRunner}s wired to the service's Kafka client, data source and DLQ, stops
 * them all on shutdown (MessagingModule calls {@link ConsumerFactory.stopAll}) and answers for their
 * health in the service's readiness ({@link ConsumerFactory.healthProblems}, read by `KafkaReadiness`).
 * The app starts each one.
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
       * This environment's topic and group names: two environments (or test runs) sharing a broker must not
       * share a group, or members subscribed to different topics would be assigned each other's partitions.
       */
      topics: TopicNames;
      /** Readiness limits of every runner made here, unless its registration sets its own. */
      health?: ConsumerHealthOptions;
    },
  ) {}

  create(registration: ConsumerRegistration): BatchConsumerRunner {
    const { kafka, dataSource, dlq, logger, topics, health } = this.deps;
    const runner = new BatchConsumerRunner({
      ...registration,
      health: { ...health, ...registration.health },
      topics: registration.topics.map((topic) => topics.of(topic)),
      groupId: topics.group(registration.groupId),
      kafka,
      dataSource,
      dlq,
      logger: registration.logger ?? logger,
    });
    this.runners.push(runner);
    return runner;
  }

  /** Stops every runner created here, each finishing its chunk in flight; from then on they are not ready. */
  async stopAll(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  /** Why the runners created here are not ready (see {@link BatchConsumerRunner.healthProblems}). */
  healthProblems(): string[] {
    return this.runners.flatMap((runner) => runner.healthProblems());
  }
}
