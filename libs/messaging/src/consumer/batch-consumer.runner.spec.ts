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

  describe('health', () => {
    /** A kafkajs consumer that only records listeners, so a test can emit its instrumentation events. */
    function fakeKafka() {
      const listeners = new Map<string, ((event: { payload: unknown }) => void)[]>();
      const consumer = {
        events: { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' },
        on(name: string, listener: (event: { payload: unknown }) => void) {
          listeners.set(name, [...(listeners.get(name) ?? []), listener]);
          return () => undefined;
        },
      };
      const emit = (name: string, payload: unknown) => listeners.get(name)?.forEach((l) => l({ payload }));
      return { kafka: { consumer: () => consumer } as unknown as Kafka, emit };
    }

    it('reports a crash kafkajs does not restart from, and not one it restarts from', () => {
      const { kafka, emit } = fakeKafka();
      const sut = new BatchConsumerRunner({ ...base, kafka, handler: async () => undefined });

      emit('consumer.crash', { error: new TypeError('x'), restart: true });
      expect(sut.healthProblems()).toEqual([]);

      emit('consumer.crash', {
        error: Object.assign(new Error('x'), { name: 'KafkaJSNonRetriableError' }),
        restart: false,
      });
      expect(sut.healthProblems()).toEqual(['consumer g crashed (KafkaJSNonRetriableError)']);
    });
  });
});
