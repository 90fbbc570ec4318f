import { TOPIC_CATALOG, Topics, type TopicSpec } from '@ioc/contracts';
import type { Admin, ITopicConfig } from 'kafkajs';
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
    return true;
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
});

describe(topicConfig.name, () => {
  it('carries a delete topic’s retention in milliseconds', () => {
    expect(topicConfig(dlqSpec(), { replicationFactor: 1 }).configEntries).toEqual([
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: String(30 * 24 * 3600 * 1000) },
    ]);
  });
});

function dlqSpec(): TopicSpec {
  return TOPIC_CATALOG.find((spec) => spec.name === Topics.dlq) as TopicSpec;
}
