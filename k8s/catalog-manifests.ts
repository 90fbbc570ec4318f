import { TOPIC_CATALOG, type TopicName, Topics, type TopicSpec, topicSpec } from '@ioc/contracts';

/**
 * The Kubernetes objects that follow from the topic catalog (libs/contracts): one Strimzi KafkaTopic per topic, one
 * KafkaUser per application id with the ACLs the catalog grants it, and one KEDA ScaledObject per consuming
 * service, scaled on its consumer lag and never beyond the partitions it can share out, KEDA reading that lag as a
 * KafkaUser of its own. `npm run k8s:generate`
 * writes them to k8s/base/generated/; test/deploy/k8s-catalog.spec.ts fails when the committed files drift.
 */

/** The Strimzi cluster every topic and user belongs to (k8s/base/kafka.yaml). */
export const KAFKA_CLUSTER = 'ioc-kafka';

/**
 * The brokers' one client listener (k8s/base/kafka.yaml): TLS, its certificates signed by the cluster CA, and
 * SCRAM-SHA-512 (the one SCRAM mechanism Strimzi offers), each client as its own KafkaUser. The services' settings
 * (KAFKA_BROKERS, KAFKA_SASL_MECHANISM, KAFKA_TLS) and KEDA's triggers say the same; test/deploy/k8s-render.spec.ts
 * holds the Kafka resource, the services and the triggers to it.
 */
export const CLIENT_LISTENER = { port: 9093, tls: true, mechanism: 'scram-sha-512' } as const;

/** Where Strimzi's cluster operator keeps the cluster CA's certificate (key `ca.crt`), for clients to trust. */
export const CLUSTER_CA_SECRET = `${KAFKA_CLUSTER}-cluster-ca-cert`;

/**
 * KEDA's own Kafka user: it reads the lag of the services' consumer groups (their committed offsets and the
 * topics' end offsets) and nothing else. Strimzi writes its password to the Secret of the same name.
 */
export const KEDA_USER = 'keda';
/** KEDA's TriggerAuthentication, and the ConfigMap with the user's name (a Strimzi user Secret has none). */
export const KEDA_AUTHENTICATION = 'keda-kafka';
/** The SASL mechanism as the kafka trigger's `sasl` names it. */
const KEDA_SASL_MODES: Record<typeof CLIENT_LISTENER.mechanism, string> = { 'scram-sha-512': 'scram_sha512' };

/**
 * Each stateful service's consumer groups and the topics each reads, as the services register them
 * (`<service>.<consumer>`, suffixed by the ConsumerFactory when IOC_TOPIC_SUFFIX is set; none is in a cluster).
 * test/deploy/k8s-catalog.spec.ts holds this to the apps' consumers and to the catalog's consumers.
 */
export const CONSUMER_GROUPS: Readonly<Record<string, Readonly<Record<string, readonly TopicName[]>>>> = {
  reports: { 'reports.submissions': [Topics.reportsSubmissions] },
  intake: {
    'intake.camera-detections': [Topics.cameraDetections],
    'intake.camera-heartbeats': [Topics.cameraHeartbeats],
    'intake.traffic-observations': [Topics.trafficObservations],
  },
  kpi: {
    'kpi.sources': [
      Topics.reportsEvents,
      Topics.incidentsEvents,
      Topics.camerasStatus,
      Topics.trafficStatus,
      Topics.kpiObservations,
    ],
  },
};

/**
 * Topic operations by role. Kafka 3 lets a producer with Write on a topic be idempotent (no cluster
 * IdempotentWrite); no service uses transactions, so no user needs a transactional id.
 */
const WRITE = ['Write', 'Describe'];
const READ = ['Read', 'Describe'];
/** A consumer joins and commits in its groups; the gateway's live readers' groups are per instance, same prefix. */
const GROUP = ['Read', 'Describe'];
/** Enough to read a group's committed offsets and a topic's partitions and end offsets, as KEDA does. */
const DESCRIBE = ['Describe'];

/** Lag per partition above which KEDA adds an instance (each instance commits a chunk of up to 1,000 at a time). */
const LAG_THRESHOLD = '1000';

type Manifest = Record<string, unknown>;

function topic(spec: TopicSpec): Manifest {
  return {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaTopic',
    metadata: { name: spec.name, labels: { 'strimzi.io/cluster': KAFKA_CLUSTER } },
    spec: {
      // Explicit, so that a kustomize name prefix or suffix can never rename a topic.
      topicName: spec.name,
      partitions: spec.partitions,
      // Raised by the production overlay.
      replicas: 1,
      config: {
        'cleanup.policy': spec.cleanupPolicy,
        ...(spec.retentionMs === null ? {} : { 'retention.ms': spec.retentionMs }),
      },
    },
  };
}

/** Every application id the catalog names, in catalog order. */
export function applicationIds(): string[] {
  const ids = new Set<string>();
  for (const spec of TOPIC_CATALOG) for (const id of [...spec.producers, ...spec.consumers]) ids.add(id);
  return [...ids];
}

const acl = (type: 'topic' | 'group', name: string, operations: string[], patternType = 'literal') => ({
  resource: { type, name, patternType },
  operations,
});

function kafkaUser(name: string, acls: ReturnType<typeof acl>[]): Manifest {
  return {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaUser',
    metadata: { name, labels: { 'strimzi.io/cluster': KAFKA_CLUSTER } },
    spec: {
      // The User Operator writes the password to a Secret named after the user.
      authentication: { type: CLIENT_LISTENER.mechanism },
      authorization: { type: 'simple', acls },
    },
  };
}

function user(id: string): Manifest {
  const produced = TOPIC_CATALOG.filter((spec) => spec.producers.includes(id));
  const consumed = TOPIC_CATALOG.filter((spec) => spec.consumers.includes(id));
  const acls = [
    ...produced.map((spec) => acl('topic', spec.name, WRITE)),
    ...consumed.map((spec) => acl('topic', spec.name, READ)),
    // Consumer groups are `<application id>.<consumer>`.
    ...(consumed.length > 0 ? [acl('group', `${id}.`, GROUP, 'prefix')] : []),
  ];
  return kafkaUser(id, acls);
}

/** KEDA's user: Describe on exactly the groups and topics its triggers name. */
function kedaUser(): Manifest {
  const groups = Object.values(CONSUMER_GROUPS).flatMap((groupsOf) => Object.keys(groupsOf));
  const topics = new Set(
    Object.values(CONSUMER_GROUPS).flatMap((groupsOf) => Object.values(groupsOf).flat()),
  );
  return kafkaUser(KEDA_USER, [
    ...[...topics].map((name) => acl('topic', name, DESCRIBE)),
    ...groups.map((name) => acl('group', name, DESCRIBE)),
  ]);
}

/**
 * How KEDA's operator connects for the lag triggers: as {@link KEDA_USER}, its password from the user's Secret,
 * trusting the cluster CA. The mechanism and TLS are in each trigger's metadata.
 */
function kedaAuthentication(): Manifest[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: KEDA_AUTHENTICATION },
      data: { username: KEDA_USER },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: KEDA_AUTHENTICATION },
      spec: {
        configMapTargetRef: [{ parameter: 'username', name: KEDA_AUTHENTICATION, key: 'username' }],
        secretTargetRef: [
          { parameter: 'password', name: KEDA_USER, key: 'password' },
          ...(CLIENT_LISTENER.tls ? [{ parameter: 'ca', name: CLUSTER_CA_SECRET, key: 'ca.crt' }] : []),
        ],
      },
    },
  ];
}

/** The most instances that still get partitions of some topic the service consumes. */
export function maxConsumers(service: string): number {
  const topics = Object.values(CONSUMER_GROUPS[service]).flat();
  return Math.max(...topics.map((name) => topicSpec(name).partitions));
}

function scaledObject(service: string): Manifest {
  const lagTriggers = Object.entries(CONSUMER_GROUPS[service]).flatMap(([group, topics]) =>
    topics.map((name) => ({
      type: 'kafka',
      name: `lag-${name.replaceAll('.', '-')}`,
      authenticationRef: { name: KEDA_AUTHENTICATION },
      metadata: {
        // The service's own KAFKA_BROKERS: one setting, fully qualified by each overlay so that KEDA's operator,
        // in its own namespace, reaches the same brokers.
        bootstrapServersFromEnv: 'KAFKA_BROKERS',
        consumerGroup: group,
        topic: name,
        lagThreshold: LAG_THRESHOLD,
        // The consumers start a new group at the beginning; a group without offsets has all of that as lag.
        offsetResetPolicy: 'earliest',
        // Never more instances for a topic than it has partitions: the rest would sit idle in the group.
        allowIdleConsumers: 'false',
        // The client listener's, in KEDA's words; the user and the CA are in the TriggerAuthentication.
        sasl: KEDA_SASL_MODES[CLIENT_LISTENER.mechanism],
        tls: CLIENT_LISTENER.tls ? 'enable' : 'disable',
      },
    })),
  );
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: service },
    spec: {
      scaleTargetRef: { name: service },
      // Raised by the production overlay.
      minReplicaCount: 1,
      maxReplicaCount: maxConsumers(service),
      pollingInterval: 15,
      cooldownPeriod: 300,
      triggers: [
        ...lagTriggers,
        // The same instances answer REST: busy CPU adds one too, within the same bound.
        { type: 'cpu', metricType: 'Utilization', metadata: { value: '75' } },
      ],
    },
  };
}

/** The generated files under k8s/base/generated/, by file name. */
export function catalogManifests(): Record<string, Manifest[]> {
  return {
    'kafka-topics.yaml': TOPIC_CATALOG.map(topic),
    'kafka-users.yaml': [...applicationIds().map(user), kedaUser()],
    'scaled-objects.yaml': [...kedaAuthentication(), ...Object.keys(CONSUMER_GROUPS).map(scaledObject)],
  };
}
