import { EventTypes, LIVE_STREAM_TOPICS, LIVE_STREAMS } from '@ioc/contracts';
import { databaseUrl, type ServiceName, type ServiceWorld, withAdmin } from '@ioc/testing';
import { Client, escapeIdentifier } from 'pg';

/**
 * What the fault suite reads of its world's state: the services' schemas in Postgres, its topics and consumer
 * groups in Kafka.
 */
export class WorldState {
  constructor(private readonly world: ServiceWorld) {}

  /** Rows of `sql`, given the quoted schema of `service` in this world. */
  async query<T>(
    service: ServiceName,
    sql: (schema: string) => string,
    params: unknown[] = [],
  ): Promise<T[]> {
    const client = new Client({ connectionString: databaseUrl() });
    await client.connect();
    try {
      return (await client.query(sql(escapeIdentifier(this.world.schemaOf(service))), params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** What the state says of an inbound stream's applied events, where it counts them one by one. */
  async stateCount(
    type: string,
    sent: readonly { id: string; subject: string }[],
    applied: ReadonlySet<string>,
  ): Promise<{ expected: number; found: number } | undefined> {
    if (type === EventTypes.cameraDetection) {
      const [{ n }] = await this.query<{ n: string }>(
        'intake',
        (s) => `SELECT COALESCE(SUM(total), 0) AS n FROM ${s}.detection_tallies`,
      );
      return { expected: applied.size, found: Number(n) };
    }
    if (type === EventTypes.trafficObservation) {
      const [{ n }] = await this.query<{ n: string }>(
        'intake',
        (s) => `SELECT COALESCE(SUM(observations), 0) AS n FROM ${s}.road_segments`,
      );
      return { expected: applied.size, found: Number(n) };
    }
    if (type === EventTypes.reportSubmission) {
      // A channel's submission is one report per (channel, external id): a re-sent one is registered once.
      const subjects = new Set(sent.filter((e) => applied.has(e.id)).map((e) => e.subject));
      const [{ n }] = await this.query<{ n: string }>(
        'reports',
        (s) => `SELECT COUNT(*) AS n FROM ${s}.external_ids`,
      );
      return { expected: subjects.size, found: Number(n) };
    }
    return undefined;
  }

  /** Rows waiting in the outboxes of every service that has one. */
  async outboxRows(): Promise<number> {
    let total = 0;
    for (const service of ['reports', 'intake', 'kpi'] as const) {
      const [{ n }] = await this.query<{ n: string }>(
        service,
        (s) => `SELECT COUNT(*) AS n FROM ${s}.outbox`,
      );
      total += Number(n);
    }
    return total;
  }

  /** Per live stream (in `LIVE_STREAMS` order), per partition of its topic: the end offset. */
  async liveEnds(): Promise<number[][]> {
    return withAdmin(async (admin) => {
      const ends: number[][] = [];
      for (const stream of LIVE_STREAMS) {
        const offsets = await admin.fetchTopicOffsets(this.world.topic(LIVE_STREAM_TOPICS[stream]));
        const byPartition: number[] = [];
        for (const { partition, high } of offsets) byPartition[partition] = Number(high);
        ends.push(byPartition);
      }
      return ends;
    });
  }

  /** Per consumer group of this world: the sum over its partitions of (end offset − committed offset). */
  async lagsByGroup(): Promise<Map<string, number>> {
    return withAdmin(async (admin) => {
      const groups = (await admin.listGroups()).groups
        .map((group) => group.groupId)
        .filter((groupId) => groupId.endsWith(`.${this.world.suffix}`));
      const lags = new Map<string, number>();
      for (const groupId of groups) {
        let lag = 0;
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
          const ends = new Map(
            (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]),
          );
          for (const { partition, offset } of partitions) {
            const end = ends.get(partition) ?? 0n;
            const committed = offset === '-1' ? 0n : BigInt(offset);
            lag += Number(end - committed);
          }
        }
        lags.set(groupId, lag);
      }
      return lags;
    });
  }

  /** A consumer's committed offsets in this world, as `topic:partition` → offset. */
  async committedOffsets(consumer: string): Promise<Record<string, string>> {
    return withAdmin(async (admin) => {
      const committed: Record<string, string> = {};
      for (const { topic, partitions } of await admin.fetchOffsets({
        groupId: `${consumer}.${this.world.suffix}`,
      }))
        for (const { partition, offset } of partitions) committed[`${topic}:${partition}`] = offset;
      return committed;
    });
  }

  async totalLag(): Promise<number> {
    return [...(await this.lagsByGroup()).values()].reduce((sum, lag) => sum + lag, 0);
  }
}
