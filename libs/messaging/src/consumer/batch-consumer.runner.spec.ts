import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { DeadLetterPublisher } from '../dlq/dead-letter.publisher';
import { BatchConsumerRunner, type BatchConsumerRunnerOptions } from './batch-consumer.runner';

describe(BatchConsumerRunner.name, () => {
  const base = {
    kafka: {} as Kafka,
    dataSource: {} as DataSource,
    dlq: {} as DeadLetterPublisher,
    groupId: 'g',
    consumerName: 'g',
    topics: ['t'],
  } satisfies Partial<BatchConsumerRunnerOptions>;

  it.each([
    ['neither handler', {}],
    ['both handlers', { handler: async () => undefined, batchHandler: async () => undefined }],
  ])('refuses %s', (_case, handlers) => {
    expect(() => new BatchConsumerRunner({ ...base, ...handlers })).toThrow(
      expect.objectContaining({ code: 'MESSAGING.INVALID_OPTIONS' }) as unknown as Error,
    );
  });
});
