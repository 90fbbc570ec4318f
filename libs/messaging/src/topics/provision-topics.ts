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
    const created =
      !present.has(config.topic) && (await admin.createTopics({ topics: [config], waitForLeaders: true }));
    (created ? report.created : report.existing).push(config.topic);
  }
  if (report.existing.length > 0) {
    const topics = await metadataOnceKnown(admin, report.existing);
    for (const { name, partitions } of topics) {
      const expected = catalog.find((spec) => topicName(spec.name, suffix) === name)?.partitions ?? 0;
      if (partitions.length < expected) {
        report.underPartitioned.push({ topic: name, partitions: partitions.length, expected });
      }
    }
  }
  return report;
}

/**
 * A topic that a concurrent provisioner has just created exists before every broker knows it: metadata
 * then answers UNKNOWN_TOPIC_OR_PARTITION for a moment. Ask again, briefly, rather than fail.
 */
async function metadataOnceKnown(admin: Admin, topics: string[], attempts = 20) {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await admin.fetchTopicMetadata({ topics })).topics;
    } catch (error) {
      const unknownYet = (error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION';
      if (!unknownYet || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}
