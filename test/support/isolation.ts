import { TOPIC_CATALOG, type TopicName, topicName } from '@ioc/contracts';
import { createKafka, provisionTopics } from '@ioc/messaging';
import { Client, escapeIdentifier } from 'pg';
import { databaseUrl, kafkaBrokers } from './env';

/** Runs `work` with a connected Kafka admin client, disconnected afterwards. */
export async function withAdmin<T>(
  work: (admin: ReturnType<ReturnType<typeof createKafka>['admin']>) => Promise<T>,
) {
  const admin = createKafka({
    clientId: 'test-isolation',
    brokers: kafkaBrokers(),
    logLevel: 'nothing',
  }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Which of the catalog's topics a spec needs, and how many partitions where it needs other than the catalog's. */
export interface SuffixedTopicsOptions {
  /** Default: the topics named in `partitions` if given, else the whole catalog. */
  topics?: readonly TopicName[];
  partitions?: Partial<Record<TopicName, number>>;
}

/**
 * Creates catalog topics under this spec's suffix (`ioc.dlq.<suffix>` …), as the catalog defines them, and
 * answers their names by base name.
 */
export async function provisionSuffixedTopics(
  suffix: string,
  { partitions = {}, topics }: SuffixedTopicsOptions = {},
): Promise<Record<TopicName, string>> {
  const wanted = topics ?? (Object.keys(partitions).length > 0 ? Object.keys(partitions) : undefined);
  const catalog = TOPIC_CATALOG.filter((spec) => wanted === undefined || wanted.includes(spec.name)).map(
    (spec) => ({ ...spec, partitions: partitions[spec.name] ?? spec.partitions }),
  );
  await withAdmin((admin) => provisionTopics(admin, { suffix, catalog }));
  return Object.fromEntries(catalog.map((spec) => [spec.name, topicName(spec.name, suffix)])) as Record<
    TopicName,
    string
  >;
}

/**
 * Drops what a spec made: its Postgres schemas, and every topic and consumer group carrying its suffix (a
 * service's groups are `<group>.<suffix>` when it runs with IOC_TOPIC_SUFFIX).
 */
export async function dropTestData({ suffix, schemas }: { suffix: string; schemas: readonly string[] }) {
  const pg = new Client({ connectionString: databaseUrl() });
  await pg.connect();
  try {
    for (const schema of schemas) await pg.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`);
  } finally {
    await pg.end();
  }
  await withAdmin(async (admin) => {
    const ours = (name: string) => name.endsWith(`.${suffix}`);
    const topics = (await admin.listTopics()).filter(ours);
    if (topics.length > 0) await admin.deleteTopics({ topics });
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter(ours);
    // A consumer that has just left can keep its group non-empty for a moment; such a group is deleted
    // with the run's others by the global teardown, so its refusal here fails no spec.
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  });
}
