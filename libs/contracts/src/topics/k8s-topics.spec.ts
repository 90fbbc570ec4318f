import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TOPIC_CATALOG } from './topic-catalog';

// Kubernetes provisions topics through Strimzi KafkaTopic resources rather than provisionTopics, so they are
// held to the catalog here: a retention edited in one place only (a DLQ kept longer than the personal data
// it copies, say) fails this spec.
describe('k8s/base/topics.yaml', () => {
  const file = path.resolve(__dirname, '../../../../k8s/base/topics.yaml');
  const topics = parseAllDocuments(readFileSync(file, 'utf8')).map(
    (doc) =>
      doc.toJS() as {
        kind: string;
        spec: { topicName: string; partitions: number; config: Record<string, string | number> };
      },
  );

  it('declares every catalog topic once, with its partitions, cleanup policy and retention', () => {
    expect(topics.every((topic) => topic.kind === 'KafkaTopic')).toBe(true);
    expect(topics.map((topic) => topic.spec.topicName).sort()).toEqual(
      TOPIC_CATALOG.map((spec) => spec.name).sort(),
    );
    for (const spec of TOPIC_CATALOG) {
      const topic = topics.find((candidate) => candidate.spec.topicName === spec.name);
      expect({ name: spec.name, partitions: topic?.spec.partitions, ...topic?.spec.config }).toEqual({
        name: spec.name,
        partitions: spec.partitions,
        'cleanup.policy': spec.cleanupPolicy,
        ...(spec.retentionMs === null ? {} : { 'retention.ms': spec.retentionMs }),
      });
    }
  });
});
