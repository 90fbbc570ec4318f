import { personalDataRetentionViolations, TOPIC_CATALOG, topicName, type TopicSpec } from '@ioc/contracts';
import { type Admin, ConfigResourceTypes, ConfigSource, type ITopicConfig } from 'kafkajs';

/** Options of {@link provisionTopics}. */
export interface ProvisionTopicsOptions {
  /** Appended to every base name (`topicName`), to isolate an environment or a test run. */
  suffix?: string;
  /** 1 on a single local broker; 3 in production. Default 1. */
  replicationFactor?: number;
  catalog?: readonly TopicSpec[];
}

/** What {@link provisionTopics} did. */
export interface ProvisionReport {
  created: string[];
  existing: string[];
  /** Existing topics with fewer partitions than the catalog asks (e.g. auto-created by a client). */
  underPartitioned: { topic: string; partitions: number; expected: number }[];
  /** Existing topics carrying personal data whose retention was lowered to the catalog's. */
  retentionLowered: { topic: string; retentionMs: number; was: number }[];
}

/** The kafkajs topic definition of a catalog entry. */
export function topicConfig(
  spec: TopicSpec,
  options: { suffix?: string; replicationFactor: number },
): ITopicConfig {
  return {
    topic: topicName(spec.name, options.suffix),
    numPartitions: spec.partitions,
    replicationFactor: options.replicationFactor,
    configEntries: [
      { name: 'cleanup.policy', value: spec.cleanupPolicy },
      // -1: no time limit; a compacted topic keeps the latest record per key for ever.
      { name: 'retention.ms', value: String(spec.retentionMs ?? -1) },
    ],
  };
}

/**
 * Creates the catalog's topics that are missing, with their partitions, cleanup policy and retention.
 * Idempotent and safe to run concurrently: a topic created meanwhile by someone else counts as existing.
 * Existing topics are not altered (partitions can only grow, and that re-maps keys, so it is an
 * operator's decision); under-partitioned ones are reported. One exception: an existing topic carrying
 * personal data that keeps records longer than the catalog says has its retention lowered, since a
 * reporter's data must not outlive its source (docs/architecture.md, "Personal data in Kafka").
 * @throws Error before touching the cluster when the catalog breaks that rule
 *   ({@link personalDataRetentionViolations})
 */
export async function provisionTopics(
  admin: Admin,
  options: ProvisionTopicsOptions = {},
): Promise<ProvisionReport> {
  const { suffix, replicationFactor = 1, catalog = TOPIC_CATALOG } = options;
  const violations = personalDataRetentionViolations(catalog);
  if (violations.length > 0) throw new Error(`topic catalog refused: ${violations.join('; ')}`);
  const present = new Set(await admin.listTopics());
  const report: ProvisionReport = { created: [], existing: [], underPartitioned: [], retentionLowered: [] };
  for (const spec of catalog) {
    const config = topicConfig(spec, { suffix, replicationFactor });
    // One call per topic: kafkajs answers `false` for a whole call if any topic already existed.
    // kafkajs' own waitForLeaders gives up on the first UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker
    // answers for a moment after creating a topic; wait for the leaders below instead.
    const created =
      !present.has(config.topic) && (await admin.createTopics({ topics: [config], waitForLeaders: false }));
    (created ? report.created : report.existing).push(config.topic);
  }
  const all = [...report.created, ...report.existing];
  if (all.length > 0) {
    const topics = await metadataWithLeaders(admin, all);
    const existing = new Set(report.existing);
    for (const { name, partitions } of topics.filter((topic) => existing.has(topic.name))) {
      const expected = catalog.find((spec) => topicName(spec.name, suffix) === name)?.partitions ?? 0;
      if (partitions.length < expected) {
        report.underPartitioned.push({ topic: name, partitions: partitions.length, expected });
      }
    }
  }
  const personal = catalog.filter(
    (spec) => spec.personalData !== 'none' && report.existing.includes(topicName(spec.name, suffix)),
  );
  if (personal.length > 0) report.retentionLowered = await lowerRetention(admin, personal, suffix);
  return report;
}

/**
 * Lowers `retention.ms` of existing topics to the catalog's where the broker keeps records longer (or for
 * ever). AlterConfigs replaces a topic's whole dynamic config, so the others set on it are written back.
 */
async function lowerRetention(
  admin: Admin,
  specs: readonly TopicSpec[],
  suffix: string | undefined,
): Promise<ProvisionReport['retentionLowered']> {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((spec) => ({ type: ConfigResourceTypes.TOPIC, name: topicName(spec.name, suffix) })),
  });
  const lowered: ProvisionReport['retentionLowered'] = [];
  for (const spec of specs) {
    const topic = topicName(spec.name, suffix);
    const entries = resources.find((resource) => resource.resourceName === topic)?.configEntries ?? [];
    const current = Number(entries.find((entry) => entry.configName === 'retention.ms')?.configValue ?? -1);
    const wanted = spec.retentionMs as number; // finite: personalDataRetentionViolations checked it
    if (current >= 0 && current <= wanted) continue;
    const kept = entries
      .filter(
        (entry) => entry.configSource === ConfigSource.TOPIC_CONFIG && entry.configName !== 'retention.ms',
      )
      .map((entry) => ({ name: entry.configName, value: entry.configValue }));
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configEntries: [...kept, { name: 'retention.ms', value: String(wanted) }],
        },
      ],
    });
    lowered.push({ topic, retentionMs: wanted, was: current });
  }
  return lowered;
}

/**
 * Metadata of `topics` once every partition has a leader, so that producers and consumers can use them
 * at once. A topic just created, here or by a concurrent provisioner, is briefly unknown to the broker's
 * metadata (UNKNOWN_TOPIC_OR_PARTITION) or leaderless (LEADER_NOT_AVAILABLE): ask again, to a deadline.
 */
async function metadataWithLeaders(admin: Admin, topics: string[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const metadata = (await admin.fetchTopicMetadata({ topics })).topics;
      const led = metadata.every(({ partitions }) => partitions.every((partition) => partition.leader >= 0));
      if (led) return metadata;
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (type !== 'UNKNOWN_TOPIC_OR_PARTITION' && type !== 'LEADER_NOT_AVAILABLE') throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`topics have no leader after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(50 * attempt, 500)));
  }
}
