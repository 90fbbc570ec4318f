import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TOPIC_CATALOG, topicSpec } from '@ioc/contracts';
import { parseAllDocuments } from 'yaml';
import { CameraHeartbeatsConsumer } from '../../apps/intake/src/cameras/camera-heartbeats.consumer';
import { CameraDetectionsConsumer } from '../../apps/intake/src/incidents/camera-detections.consumer';
import { TrafficObservationsConsumer } from '../../apps/intake/src/traffic/traffic-observations.consumer';
import { KpiSourcesConsumer } from '../../apps/kpi/src/computation/kpi-sources.consumer';
import { ReportSubmissionsConsumer } from '../../apps/reports/src/submissions/report-submissions.consumer';
import {
  applicationIds,
  catalogManifests,
  CONSUMER_GROUPS,
  KAFKA_CLUSTER,
  KEDA_USER,
} from '../../k8s/catalog-manifests';

const ROOT = path.resolve(__dirname, '../..');
const GENERATED = path.join(ROOT, 'k8s/base/generated');

interface Acl {
  resource: { type: string; name: string; patternType: string };
  operations: string[];
}
interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

function committed(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(path.join(GENERATED, file), 'utf8')).map((doc) => doc.toJS());
}

// Kubernetes provisions topics, users and scaling from these files, not from provisionTopics: they are held to the
// catalog here, so that a partition count, a retention or an ACL edited in one place only fails.
describe('k8s/base/generated', () => {
  it('is what `npm run k8s:generate` writes from the current catalog', () => {
    const expected = catalogManifests();
    expect(readdirSync(GENERATED).sort()).toEqual(Object.keys(expected).sort());
    for (const [file, manifests] of Object.entries(expected)) {
      expect({ file, manifests: committed(file) }).toEqual({ file, manifests });
    }
  });

  it('declares every catalog topic once, with its partitions, cleanup policy and retention', () => {
    const topics = committed('kafka-topics.yaml');
    expect(topics.map((topic) => topic.spec.topicName).sort()).toEqual(
      TOPIC_CATALOG.map((s) => s.name).sort(),
    );
    for (const topic of topics) {
      const spec = topicSpec(topic.spec.topicName as never);
      expect(topic).toMatchObject({
        kind: 'KafkaTopic',
        metadata: { labels: { 'strimzi.io/cluster': KAFKA_CLUSTER } },
        spec: { partitions: spec.partitions },
      });
      expect(topic.spec.config).toEqual({
        'cleanup.policy': spec.cleanupPolicy,
        ...(spec.retentionMs === null ? {} : { 'retention.ms': spec.retentionMs }),
      });
    }
  });

  it('lets each application write only the topics it produces and read only those it consumes, in its own groups', () => {
    const users = committed('kafka-users.yaml');
    expect(users.map((user) => user.metadata.name).sort()).toEqual([...applicationIds(), KEDA_USER].sort());
    for (const user of users.filter((candidate) => candidate.metadata.name !== KEDA_USER)) {
      const id = user.metadata.name;
      const acls = (user.spec.authorization as { acls: Acl[] }).acls;
      const topicsWith = (operation: string) =>
        acls
          .filter((acl) => acl.resource.type === 'topic' && acl.operations.includes(operation))
          .map((acl) => acl.resource.name)
          .sort();
      expect({ id, writes: topicsWith('Write') }).toEqual({
        id,
        writes: TOPIC_CATALOG.filter((s) => s.producers.includes(id))
          .map((s) => s.name)
          .sort(),
      });
      expect({ id, reads: topicsWith('Read') }).toEqual({
        id,
        reads: TOPIC_CATALOG.filter((s) => s.consumers.includes(id))
          .map((s) => s.name)
          .sort(),
      });
      // Literal topic names; groups only under the application's own prefix; nothing on the cluster, no
      // transactional ids (no service uses transactions), nothing that creates, deletes or reconfigures.
      for (const acl of acls) {
        if (acl.resource.type === 'topic') expect(acl.resource.patternType).toBe('literal');
        else expect(acl.resource).toEqual({ type: 'group', name: `${id}.`, patternType: 'prefix' });
        expect(acl.operations.every((op) => ['Read', 'Write', 'Describe'].includes(op))).toBe(true);
      }
    }
  });

  it('lets KEDA describe the groups and topics it scales on, and do nothing else', () => {
    const keda = committed('kafka-users.yaml').find((user) => user.metadata.name === KEDA_USER)!;
    const acls = (keda.spec.authorization as { acls: Acl[] }).acls;
    const triggers = committed('scaled-objects.yaml')
      .filter((object) => object.kind === 'ScaledObject')
      .flatMap((object) => object.spec.triggers as { type: string; metadata: Record<string, string> }[])
      .filter((trigger) => trigger.type === 'kafka');
    const described = (type: string) =>
      acls
        .filter((acl) => acl.resource.type === type)
        .map((acl) => acl.resource.name)
        .sort();
    expect(described('group')).toEqual([...new Set(triggers.map((t) => t.metadata.consumerGroup))].sort());
    expect(described('topic')).toEqual([...new Set(triggers.map((t) => t.metadata.topic))].sort());
    for (const acl of acls) {
      expect(acl.resource.patternType).toBe('literal');
      expect(acl.operations).toEqual(['Describe']);
    }
  });

  it('scales each consuming service on the lag of every group and topic it reads, up to the partitions it can use', () => {
    const scaled = committed('scaled-objects.yaml').filter((object) => object.kind === 'ScaledObject');
    expect(scaled.map((object) => object.metadata.name).sort()).toEqual(Object.keys(CONSUMER_GROUPS).sort());
    for (const object of scaled) {
      const service = object.metadata.name;
      const triggers = (object.spec.triggers as { type: string; metadata: Record<string, string> }[]).filter(
        (trigger) => trigger.type === 'kafka',
      );
      const pairs = Object.entries(CONSUMER_GROUPS[service]).flatMap(([group, topics]) =>
        topics.map((topic) => `${group} ${topic}`),
      );
      expect(triggers.map(({ metadata }) => `${metadata.consumerGroup} ${metadata.topic}`).sort()).toEqual(
        pairs.sort(),
      );
      const partitions = Object.values(CONSUMER_GROUPS[service])
        .flat()
        .map((topic) => topicSpec(topic).partitions);
      // More instances than the largest topic's partitions would find no partition of any topic to read.
      expect({ service, max: object.spec.maxReplicaCount }).toEqual({
        service,
        max: Math.max(...partitions),
      });
      for (const { metadata } of triggers) expect(metadata.allowIdleConsumers).toBe('false');
    }
  });
});

describe('CONSUMER_GROUPS', () => {
  it('names every topic the catalog has each service consume', () => {
    for (const [service, groups] of Object.entries(CONSUMER_GROUPS)) {
      expect({ service, topics: Object.values(groups).flat().sort() }).toEqual({
        service,
        topics: TOPIC_CATALOG.filter((s) => s.consumers.includes(service))
          .map((s) => s.name)
          .sort(),
      });
    }
  });

  it("is the groups and topics the services' consumers register", async () => {
    const registered: Record<string, Record<string, string[]>> = {};
    // Stands for every constructor argument: the consumer factory records what is registered; anything else a
    // consumer touches before registering answers with itself (or 1, where a setting is used as a number).
    const record = (options: { groupId: string; topics: string[] }) => {
      const service = options.groupId.split('.')[0];
      (registered[service] ??= {})[options.groupId] = [...options.topics];
      return { start: async () => undefined };
    };
    const stub: object = new Proxy(() => stub, {
      get: (_, property) =>
        property === 'create'
          ? record
          : property === 'then'
            ? undefined
            : property === Symbol.toPrimitive
              ? () => 1
              : stub,
    });
    for (const Consumer of [
      ReportSubmissionsConsumer,
      CameraDetectionsConsumer,
      CameraHeartbeatsConsumer,
      TrafficObservationsConsumer,
      KpiSourcesConsumer,
    ]) {
      const Constructor = Consumer as unknown as new (...args: unknown[]) => {
        onApplicationBootstrap(): unknown;
      };
      await new Constructor(stub, stub, stub, stub, stub).onApplicationBootstrap();
    }
    expect(registered).toEqual(CONSUMER_GROUPS);
  });
});
