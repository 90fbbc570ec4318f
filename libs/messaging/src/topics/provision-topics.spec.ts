import { TOPIC_CATALOG, Topics, type TopicSpec } from '@ioc/contracts';
import { type Admin, ConfigSource, type ITopicConfig } from 'kafkajs';
import { provisionTopics, topicConfig } from './provision-topics';

/** The part of a kafkajs admin that provisioning uses, over an in-memory cluster. */
class FakeAdmin {
  readonly created: ITopicConfig[] = [];
  /** Metadata requests to answer as a KRaft broker does right after a creation: topic unknown, then leaderless. */
  settling = 0;

  constructor(
    readonly topics: Map<string, number>,
    private readonly createdMeanwhile: string[] = [],
  ) {}

  async listTopics(): Promise<string[]> {
    const listed = [...this.topics.keys()];
    for (const topic of this.createdMeanwhile) this.topics.set(topic, 1);
    return listed;
  }

  async createTopics({ topics }: { topics: ITopicConfig[] }): Promise<boolean> {
    const [config] = topics;
    if (this.topics.has(config.topic)) return false;
    this.topics.set(config.topic, config.numPartitions ?? 1);
    this.created.push(config);
    this.setConfigs(config.topic, config.configEntries ?? []);
    return true;
  }

  /** Per topic, its dynamic (topic-level) settings, as `kafka-configs --alter` or a creation left them. */
  readonly configs = new Map<string, Map<string, string>>();
  readonly altered: string[] = [];

  setConfigs(topic: string, entries: readonly { name: string; value: string }[]): void {
    this.configs.set(topic, new Map(entries.map((entry) => [entry.name, entry.value])));
  }

  async describeConfigs({ resources }: { resources: { name: string }[] }) {
    return {
      resources: resources.map(({ name }) => ({
        resourceName: name,
        configEntries: [...(this.configs.get(name) ?? new Map<string, string>())].map(
          ([configName, configValue]) => ({
            configName,
            configValue,
            configSource: ConfigSource.TOPIC_CONFIG,
          }),
        ),
      })),
    };
  }

  // AlterConfigs semantics: the given entries replace every dynamic setting of the topic.
  async alterConfigs({
    resources,
  }: {
    resources: { name: string; configEntries: { name: string; value: string }[] }[];
  }) {
    for (const { name, configEntries } of resources) {
      this.setConfigs(name, configEntries);
      this.altered.push(name);
    }
  }

  async fetchTopicMetadata({ topics }: { topics: string[] }) {
    const settling = this.settling;
    if (settling > 0) this.settling--;
    if (settling > 1) {
      throw Object.assign(new Error('This server does not host this topic-partition'), {
        type: 'UNKNOWN_TOPIC_OR_PARTITION',
      });
    }
    return {
      topics: topics.map((name) => ({
        name,
        partitions: Array.from({ length: this.topics.get(name) ?? 0 }, (_, partitionId) => ({
          partitionId,
          leader: settling === 1 ? -1 : 0,
        })),
      })),
    };
  }
}

const asAdmin = (fake: FakeAdmin) => fake as unknown as Admin;
const DAY = 24 * 3600 * 1000;

describe(provisionTopics.name, () => {
  it('creates every catalog topic with its partitions, cleanup policy and retention', async () => {
    const admin = new FakeAdmin(new Map());

    const report = await provisionTopics(asAdmin(admin), { suffix: 'run1', replicationFactor: 3 });

    expect(report.created).toHaveLength(TOPIC_CATALOG.length);
    expect(report.existing).toEqual([]);
    const updates = admin.created.find((c) => c.topic === 'ioc.kpi.updates.run1');
    expect(updates).toEqual({
      topic: 'ioc.kpi.updates.run1',
      numPartitions: 3,
      replicationFactor: 3,
      configEntries: [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'retention.ms', value: '-1' },
      ],
    });
  });

  it('returns only once the new topics are known and led, as a KRaft broker settles after a creation', async () => {
    const admin = new FakeAdmin(new Map());
    admin.settling = 3;

    const report = await provisionTopics(asAdmin(admin), { suffix: 'run1' });

    expect(report.created).toHaveLength(TOPIC_CATALOG.length);
    expect(admin.settling).toBe(0);
  });

  it('is idempotent: a second run creates nothing', async () => {
    const admin = new FakeAdmin(new Map());
    await provisionTopics(asAdmin(admin));

    const report = await provisionTopics(asAdmin(admin));

    expect(report.created).toEqual([]);
    expect(report.existing).toHaveLength(TOPIC_CATALOG.length);
    expect(report.underPartitioned).toEqual([]);
  });

  it('counts a topic another provisioner created meanwhile as existing', async () => {
    const admin = new FakeAdmin(new Map(), ['ioc.dlq']);

    const report = await provisionTopics(asAdmin(admin), { catalog: [dlqSpec()] });

    expect(report).toMatchObject({ created: [], existing: ['ioc.dlq'] });
  });

  it('reports an existing topic with fewer partitions than the catalog, e.g. auto-created', async () => {
    const admin = new FakeAdmin(new Map([['ioc.dlq', 1]]));

    const report = await provisionTopics(asAdmin(admin), { catalog: [dlqSpec()] });

    expect(report.underPartitioned).toEqual([{ topic: 'ioc.dlq', partitions: 1, expected: 3 }]);
  });

  it('lowers the retention of an existing topic with personal data, keeping its other settings', async () => {
    const admin = new FakeAdmin(new Map([['ioc.dlq', 3]]));
    admin.setConfigs('ioc.dlq', [
      { name: 'retention.ms', value: String(30 * DAY) },
      { name: 'max.message.bytes', value: '2097152' },
    ]);

    const report = await provisionTopics(asAdmin(admin), { catalog: [dlqSpec()] });

    expect(report.retentionLowered).toEqual([{ topic: 'ioc.dlq', retentionMs: 7 * DAY, was: 30 * DAY }]);
    expect(Object.fromEntries(admin.configs.get('ioc.dlq') ?? [])).toEqual({
      'retention.ms': String(7 * DAY),
      'max.message.bytes': '2097152',
    });
  });

  it('leaves a shorter retention and topics without personal data as they are', async () => {
    const events = TOPIC_CATALOG.find((spec) => spec.name === Topics.reportsEvents) as TopicSpec;
    const admin = new FakeAdmin(
      new Map([
        ['ioc.dlq', 3],
        ['ioc.reports.events', 6],
      ]),
    );
    admin.setConfigs('ioc.dlq', [{ name: 'retention.ms', value: String(DAY) }]);

    const report = await provisionTopics(asAdmin(admin), { catalog: [dlqSpec(), events] });

    expect(report.retentionLowered).toEqual([]);
    expect(admin.altered).toEqual([]);
  });

  it('refuses, before touching the cluster, a catalog that keeps copies of personal data longer than the source', async () => {
    const admin = new FakeAdmin(new Map());
    const unsound = TOPIC_CATALOG.map((spec) =>
      spec.name === Topics.dlq ? { ...spec, retentionMs: 30 * DAY } : spec,
    );

    await expect(provisionTopics(asAdmin(admin), { catalog: unsound })).rejects.toThrow(
      /ioc\.dlq keeps copies/,
    );
    expect(admin.created).toEqual([]);
  });
});

describe(topicConfig.name, () => {
  it('carries a delete topic’s retention in milliseconds', () => {
    expect(topicConfig(dlqSpec(), { replicationFactor: 1 }).configEntries).toEqual([
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: String(7 * DAY) },
    ]);
  });
});

function dlqSpec(): TopicSpec {
  return TOPIC_CATALOG.find((spec) => spec.name === Topics.dlq) as TopicSpec;
}
