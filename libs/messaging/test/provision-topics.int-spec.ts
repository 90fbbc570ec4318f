import { TOPIC_CATALOG, topicName, type TopicSpec } from '@ioc/contracts';
import { provisionTopics } from '@ioc/messaging';
import { kafkaBrokers, uniqueSuffix } from '@ioc/testing';
import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';
import { deleteTopics, testKafka } from './fixtures/harness';

// The project's testTimeout is a per-project option jest-circus does not read; set it for this file.
jest.setTimeout(60_000);

describe(provisionTopics.name, () => {
  const suffix = uniqueSuffix();
  // Small partition counts keep the broker's work down; the rest of each entry is the real catalog.
  const catalog: TopicSpec[] = TOPIC_CATALOG.map((spec) => ({
    ...spec,
    partitions: Math.min(spec.partitions, 2),
  }));
  const names = catalog.map((spec) => topicName(spec.name, suffix));
  let kafka: Kafka;
  let admins: Admin[];

  beforeAll(async () => {
    kafka = testKafka(kafkaBrokers());
    admins = [kafka.admin(), kafka.admin()];
    await Promise.all(admins.map((admin) => admin.connect()));
  });

  afterAll(async () => {
    await Promise.all(admins.map((admin) => admin.disconnect()));
    await deleteTopics(kafka, names);
  });

  it('creates each missing topic once, even when two provisioners race, with the catalog settings', async () => {
    const reports = await Promise.all(admins.map((admin) => provisionTopics(admin, { suffix, catalog })));

    expect([...reports[0].created, ...reports[1].created].sort()).toEqual([...names].sort());
    expect([...reports[0].existing, ...reports[1].existing].sort()).toEqual([...names].sort());

    const { resources } = await admins[0].describeConfigs({
      includeSynonyms: false,
      resources: names.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['cleanup.policy', 'retention.ms'],
      })),
    });
    const settings = Object.fromEntries(
      resources.map((r) => [
        r.resourceName,
        Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])),
      ]),
    );
    for (const spec of catalog) {
      expect(settings[topicName(spec.name, suffix)]).toEqual({
        'cleanup.policy': spec.cleanupPolicy,
        'retention.ms': String(spec.retentionMs ?? -1),
      });
    }
    const metadata = await admins[0].fetchTopicMetadata({ topics: names });
    expect(metadata.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(
      catalog.map((spec) => [topicName(spec.name, suffix), spec.partitions]).sort(),
    );
  });

  it('is idempotent', async () => {
    const report = await provisionTopics(admins[0], { suffix, catalog });
    expect(report).toEqual({ created: [], existing: names, underPartitioned: [], retentionLowered: [] });
  });
});
