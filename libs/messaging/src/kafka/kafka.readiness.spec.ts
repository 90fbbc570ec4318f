import type { Kafka } from 'kafkajs';
import { KafkaReadiness } from './kafka.readiness';

describe(KafkaReadiness.name, () => {
  it("names the consumers' problems before asking the broker anything", async () => {
    const admin = jest.fn();
    const sut = new KafkaReadiness({ admin } as unknown as Kafka, 1_000, {
      healthProblems: () => ['consumer a is stopped', 'consumer b crashed (KafkaJSNonRetriableError)'],
    });

    await expect(sut.check()).rejects.toMatchObject({
      code: 'MESSAGING.CONSUMER_UNHEALTHY',
      message: 'consumer a is stopped; consumer b crashed (KafkaJSNonRetriableError)',
    });
    expect(admin).not.toHaveBeenCalled();
  });

  it('asks the broker once the consumers are healthy', async () => {
    const describeCluster = jest.fn().mockResolvedValue({});
    const admin = () => ({
      connect: async () => undefined,
      describeCluster,
      disconnect: async () => undefined,
    });
    const sut = new KafkaReadiness({ admin } as unknown as Kafka, 1_000, { healthProblems: () => [] });

    await expect(sut.check()).resolves.toBeUndefined();
    expect(describeCluster).toHaveBeenCalledTimes(1);
  });
});
