import { decodeKafkaMessage, topicName, validateEvent } from '@ioc/contracts';
import { createDataSource, pgArrayLiteral, quotedSchema, runMigrations } from '@ioc/database';
import { createKafka, type KafkaSecurity } from '@ioc/messaging';
import type { DataSource } from 'typeorm';
import { KpiCatalog } from '../catalog/kpi-catalog';
import { applyToProjection } from '../computation/computation.service';
import { type ArrivedEvent, fold, type FoldSettings } from '../computation/fold';
import { KPI_SOURCE_TOPICS, KpiSourcesConsumer, arrivalOf } from '../computation/kpi-sources.consumer';
import { ProjectionRepository } from '../computation/projection.repository';
import { kpiMigrations } from '../migrations';
import { ReferenceDataRepository } from '../reference/reference-data.repository';

/** The tables that make the projection, with the inbox that says which events it holds. */
const PROJECTION_TABLES = ['aggregates', 'entities', 'gauge_entities', 'inbox'] as const;

export interface RebuildOptions {
  /** The live schema's data source (initialized). */
  live: DataSource;
  databaseUrl: string;
  brokers: string[];
  /** SASL credentials and TLS to the brokers, as the service's settings give them; none when absent. */
  security?: KafkaSecurity;
  topicSuffix?: string;
  settings: FoldSettings;
  log?: (line: string) => void;
  /**
   * False: replay only, into {@link rebuildSchemaOf} the live schema, and leave it there to be compared with the
   * live projection; neither the live schema nor the live group is touched, so the service may keep running.
   * True when absent.
   */
  switchTo?: boolean;
}

/** The schema a rebuild replays into, beside the live `schema`. */
export function rebuildSchemaOf(schema: string): string {
  return `${schema.slice(0, 52)}_rebuild`;
}

/**
 * Replays the source topics from their beginning into a fresh schema and switches the live schema to it
 * (docs/architecture.md, "KPI service"): the projection tables and the inbox of the fresh schema replace the
 * live ones in one transaction, the live consumer group is set to the offsets the replay stopped at, and every
 * key is marked for publishing. The kpi service must be stopped (Kafka refuses to move the offsets of a group
 * with members). The fold is order-independent and judges lateness by record timestamps, so the rebuilt
 * numbers are those the live run had.
 * @returns how many events were applied
 */
export async function rebuildProjection(options: RebuildOptions): Promise<number> {
  const log = options.log ?? (() => undefined);
  const liveSchema = quotedSchema(options.live);
  const schemaName = rebuildSchemaOf(options.live.driver.schema ?? 'kpi');
  const fresh = createDataSource({ url: options.databaseUrl, schema: schemaName, migrations: kpiMigrations });
  const kafka = createKafka({
    clientId: 'kpi-rebuild',
    brokers: options.brokers,
    ...options.security,
    logLevel: 'nothing',
  });
  const admin = kafka.admin();
  const topics = KPI_SOURCE_TOPICS.map((base) => topicName(base, options.topicSuffix));
  const liveGroup = options.topicSuffix
    ? `${KpiSourcesConsumer.groupId}.${options.topicSuffix}`
    : KpiSourcesConsumer.groupId;
  await admin.connect();
  try {
    await options.live.query(`DROP SCHEMA IF EXISTS "${schemaName}" CASCADE`);
    await runMigrations(fresh);
    const target = quotedSchema(fresh);
    await fresh.query(`INSERT INTO ${target}.city SELECT * FROM ${liveSchema}.city`);
    await fresh.query(`INSERT INTO ${target}.kpi_definitions SELECT * FROM ${liveSchema}.kpi_definitions`);
    const loaded = await fresh.transaction((tx) => new ReferenceDataRepository().load(tx));
    if (!loaded) throw new Error('the live schema has no KPI catalog: seed it first');
    const catalog = new KpiCatalog(loaded.cityCode, loaded.kpis);

    const ends = new Map<string, number>();
    for (const topic of topics)
      for (const { partition, high } of await admin.fetchTopicOffsets(topic))
        ends.set(`${topic}:${partition}`, Number(high));
    const applied = await replay(kafka, topics, ends, fresh, target, catalog, options.settings, log);
    if (options.switchTo === false) {
      log(`replayed ${applied} events into ${schemaName}, the live projection untouched`);
      return applied;
    }

    // Kafka refuses this while the service's consumer is a member of the group: nothing is switched then.
    for (const topic of topics) {
      const partitions = [...ends]
        .filter(([key]) => key.startsWith(`${topic}:`))
        .map(([key, high]) => ({ partition: Number(key.slice(topic.length + 1)), offset: String(high) }));
      await admin.setOffsets({ groupId: liveGroup, topic, partitions });
    }
    await options.live.transaction(async (tx) => {
      for (const table of PROJECTION_TABLES) {
        await tx.query(`DROP TABLE ${liveSchema}.${table}`);
        await tx.query(`ALTER TABLE ${target}.${table} SET SCHEMA ${liveSchema}`);
      }
      await tx.query(`UPDATE ${liveSchema}.aggregates SET dirty = true, published_at = NULL`);
    });
    await options.live.query(`DROP SCHEMA ${target} CASCADE`);
    log(`rebuilt the projection from ${applied} events and switched to it`);
    return applied;
  } finally {
    await admin.disconnect();
    if (fresh.isInitialized) await fresh.destroy();
  }
}

async function replay(
  kafka: ReturnType<typeof createKafka>,
  topics: string[],
  ends: Map<string, number>,
  fresh: DataSource,
  target: string,
  catalog: KpiCatalog,
  settings: FoldSettings,
  log: (line: string) => void,
): Promise<number> {
  const waiting = new Set([...ends].filter(([, high]) => high > 0).map(([key]) => key));
  if (waiting.size === 0) return 0;
  const groupId = `kpi.rebuild.${Date.now()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const projection = new ProjectionRepository();
  let applied = 0;
  let finish: () => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        try {
          const key = `${batch.topic}:${batch.partition}`;
          const high = ends.get(key) ?? 0;
          const messages = batch.messages.filter((m) => Number(m.offset) < high);
          const entries: { eventId: string; outcome: string; event?: ArrivedEvent }[] = [];
          for (const message of messages) {
            const decoded = decodeKafkaMessage(message);
            if (!decoded.ok) continue; // no trustworthy id: never in the inbox, live or rebuilt
            const valid = validateEvent(decoded.event);
            if (!valid.ok) {
              entries.push({ eventId: decoded.event.id, outcome: 'dead-lettered' });
              continue;
            }
            const event = { event: valid.event, arrivedAt: arrivalOf(message.timestamp) };
            entries.push(
              poison(catalog, event, settings)
                ? { eventId: event.event.id, outcome: 'dead-lettered' }
                : { eventId: event.event.id, outcome: 'applied', event },
            );
          }
          await fresh.transaction(async (tx) => {
            const recorded = new Set(
              (
                await tx.query<{ event_id: string }[]>(
                  `INSERT INTO ${target}.inbox (consumer, event_id, outcome)
                   SELECT $1, e, o FROM unnest($2::text[], $3::text[]) AS t(e, o)
                   ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`,
                  [
                    KpiSourcesConsumer.groupId,
                    pgArrayLiteral(entries.map((e) => e.eventId)),
                    pgArrayLiteral(entries.map((e) => e.outcome)),
                  ],
                )
              ).map((r) => r.event_id),
            );
            const events = entries.flatMap((e) => (e.event && recorded.has(e.eventId) ? [e.event] : []));
            // Applied one by one in each id's first appearance: a repeat within the batch is skipped too.
            const seen = new Set<string>();
            const once = events.filter((e) => !seen.has(e.event.id) && seen.add(e.event.id));
            await applyToProjection(tx, catalog, projection, once, settings);
            applied += once.length;
          });
          const last = messages[messages.length - 1];
          if (
            last === undefined ||
            Number(last.offset) >= high - 1 ||
            Number(batch.lastOffset()) >= high - 1
          ) {
            waiting.delete(key);
            if (waiting.size === 0) finish();
          }
        } catch (error) {
          fail(error);
          throw error;
        }
      },
    });
    await done;
    log(`replayed ${applied} events`);
  } finally {
    await consumer.disconnect();
  }
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect();
  return applied;
}

/** Whether the live consumer dead-lettered this event (the fold refuses it alone). */
function poison(catalog: KpiCatalog, event: ArrivedEvent, settings: FoldSettings): boolean {
  try {
    fold(catalog, [event], settings);
    return false;
  } catch {
    return true;
  }
}
