import { TOPIC_CATALOG, topicName, type TopicSpec } from '@ioc/contracts';
import type { Admin, ITopicConfig } from 'kafkajs';

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
 * operator's decision); under-partitioned ones are reported.
 */
export async function provisionTopics(
  admin: Admin,
  options: ProvisionTopicsOptions = {},
): Promise<ProvisionReport> {
  const { suffix, replicationFactor = 1, catalog = TOPIC_CATALOG } = options;
  const present = new Set(await admin.listTopics());
  const report: ProvisionReport = { created: [], existing: [], underPartitioned: [] };
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
  return report;
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
