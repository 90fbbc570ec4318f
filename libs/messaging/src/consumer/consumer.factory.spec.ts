import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { Topics } from '@ioc/contracts';
import type { DeadLetterPublisher } from '../dlq/dead-letter.publisher';
import { TopicNames } from '../kafka/topic-names';
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
    topics: [Topics.cameraHeartbeats],
  };

  it('suffixes group ids like topic names, so environments sharing a broker never share a group', () => {
    const groups: string[] = [];
    const sut = new ConsumerFactory({
      ...deps,
      kafka: fakeKafka(groups),
      topics: new TopicNames('r1a2b3_c4'),
    });

    sut.create({ ...registration, handler: async () => undefined });

    expect(groups).toEqual(['intake.camera-heartbeats.r1a2b3_c4']);
  });

  it('keeps the group id as registered without a suffix', () => {
    const groups: string[] = [];
    const sut = new ConsumerFactory({ ...deps, kafka: fakeKafka(groups), topics: new TopicNames() });

    sut.create({ ...registration, handler: async () => undefined });

    expect(groups).toEqual(['intake.camera-heartbeats']);
  });
});

describe(TopicNames.name, () => {
  it("appends the environment's suffix to catalog topics and group ids, and nothing without one", () => {
    expect(new TopicNames('r1').of(Topics.dlq)).toBe('ioc.dlq.r1');
    expect(new TopicNames('r1').group('reports.submissions')).toBe('reports.submissions.r1');
    expect(new TopicNames().of(Topics.dlq)).toBe('ioc.dlq');
    expect(new TopicNames().group('reports.submissions')).toBe('reports.submissions');
  });
});
