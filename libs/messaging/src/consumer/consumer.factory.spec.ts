import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { DeadLetterPublisher } from '../dlq/dead-letter.publisher';
import { ConsumerFactory } from './consumer.factory';

/** Records the group each consumer asks kafkajs for; nothing connects. */
function fakeKafka(groups: string[]): Kafka {
  const consumer = { on: () => () => undefined, events: {} };
  return {
    consumer: ({ groupId }: { groupId: string }) => (groups.push(groupId), consumer),
  } as unknown as Kafka;
}

describe(ConsumerFactory.name, () => {
  const deps = { dataSource: {} as DataSource, dlq: {} as DeadLetterPublisher };
  const registration = {
    groupId: 'intake.camera-heartbeats',
    consumerName: 'intake.camera-heartbeats',
    topics: ['t'],
  };

  it('suffixes group ids like topic names, so environments sharing a broker never share a group', () => {
    const groups: string[] = [];
    const sut = new ConsumerFactory({ ...deps, kafka: fakeKafka(groups), groupSuffix: 'r1a2b3_c4' });

    sut.create({ ...registration, handler: async () => undefined });

    expect(groups).toEqual(['intake.camera-heartbeats.r1a2b3_c4']);
  });

  it('keeps the group id as registered without a suffix', () => {
    const groups: string[] = [];
    const sut = new ConsumerFactory({ ...deps, kafka: fakeKafka(groups) });

    sut.create({ ...registration, handler: async () => undefined });

    expect(groups).toEqual(['intake.camera-heartbeats']);
  });
});
