import { TOPIC_CATALOG, topicName, Topics, type TopicSpec } from '@ioc/contracts';
import { provisionTopics } from '@ioc/messaging';
import { kafkaBrokers, uniqueSuffix } from '@ioc/testing';
import { type Admin, ConfigResourceTypes, type Kafka } from 'kafkajs';
import { deleteTopics, testKafka } from './fixtures/harness';

jest.setTimeout(60_000);

const DAY = 86_400_000;

// A reporter's name, phone and e-mail reach Kafka on ioc.reports.submissions; a refused submission is copied
// byte for byte to ioc.dlq. Neither may keep them longer than the topic they came from (docs/architecture.md).
describe('personal data retention on the provisioned topics', () => {
  const suffix = uniqueSuffix();
  const catalog: TopicSpec[] = TOPIC_CATALOG.map((spec) => ({ ...spec, partitions: 1 }));
  const names = catalog.map((spec) => topicName(spec.name, suffix));
  const dlq = topicName(Topics.dlq, suffix);
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    kafka = testKafka(kafkaBrokers());
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
    await deleteTopics(kafka, names);
  });

  const settings = async (topics: string[]): Promise<Record<string, Record<string, string>>> => {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    });
    return Object.fromEntries(
      resources.map((r) => [
        r.resourceName,
        Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])),
      ]),
    );
  };

  it('keeps no copy of personal data longer than its source, even on a dead-letter topic created before', async () => {
    // As an earlier deployment left it: 30 days, with an operator's own setting beside.
    await admin.createTopics({
      topics: [
        {
          topic: dlq,
          numPartitions: 1,
          configEntries: [
            { name: 'cleanup.policy', value: 'delete' },
            { name: 'retention.ms', value: String(30 * DAY) },
            { name: 'max.message.bytes', value: '2097152' },
          ],
        },
      ],
    });

    await provisionTopics(admin, { suffix, catalog });

    const personal = catalog.filter((spec) => spec.personalData !== 'none');
    const sources = personal.filter((spec) => spec.personalData === 'source');
    expect(personal.map((spec) => spec.name).sort()).toEqual([Topics.dlq, Topics.reportsSubmissions].sort());
    const actual = await settings(personal.map((spec) => topicName(spec.name, suffix)));
    const retention = (spec: TopicSpec) => Number(actual[topicName(spec.name, suffix)]['retention.ms']);
    const shortestSource = Math.min(...sources.map(retention));
    for (const spec of personal) {
      expect(actual[topicName(spec.name, suffix)]['cleanup.policy']).toBe('delete');
      expect(retention(spec)).toBeGreaterThan(0);
      expect(retention(spec)).toBeLessThanOrEqual(shortestSource);
    }
    expect(actual[dlq]['retention.ms']).toBe(String(7 * DAY));
    // Lowering the retention kept what else the operator had set.
    expect(actual[dlq]['max.message.bytes']).toBe('2097152');
  });

  it('refuses a catalog that would let the dead-letter topic outlive a source, before creating anything', async () => {
    const other = uniqueSuffix();
    const unsound = catalog.map((spec) =>
      spec.name === Topics.dlq ? { ...spec, retentionMs: 30 * DAY } : spec,
    );

    await expect(provisionTopics(admin, { suffix: other, catalog: unsound })).rejects.toThrow(
      /ioc\.dlq keeps copies of personal data/,
    );
    expect((await admin.listTopics()).filter((name) => name.endsWith(`.${other}`))).toEqual([]);
  });
});
