import { DataSource } from 'typeorm';
import { createKafka } from '@ioc/messaging';
import { databaseUrl, kafkaBrokers, waitFor } from '@ioc/testing';
import { rebuildProjection } from '../src/cli/rebuild-projection';
import { KPI_SOURCE_TOPICS, KpiSourcesConsumer } from '../src/computation/kpi-sources.consumer';
import { kpiService } from '../src/bootstrap';
import {
  CITY,
  KpiWorld,
  Topics,
  cameraStatus,
  observation,
  resolved,
  submitted,
  type ValueBody,
} from './fixtures/kpi-harness';

// The rebuild replays every source topic into a fresh schema and switches to it: its numbers are the live ones,
// duplicates, late events and poison included.

const at = (iso: string) => new Date(iso);

describe('kpi: rebuild from the source topics', () => {
  const world = new KpiWorld();
  const kafka = createKafka({ clientId: 'rebuild-spec', brokers: kafkaBrokers(), logLevel: 'nothing' });

  beforeAll(() => world.setUp(), 120_000);
  afterAll(() => world.tearDown());

  /** The projection's numbers, in a stable order. */
  async function snapshot(schema: string): Promise<unknown[]> {
    const source = new DataSource({ type: 'postgres', url: databaseUrl() });
    await source.initialize();
    try {
      return [
        await source.query(
          `SELECT kpi_code, dimension_kind, dimension_code, period, period_start, period_end, num, den, total, n,
             samples, late, latest_value, latest_at, histogram::text FROM "${schema}".aggregates
           ORDER BY 1, 2, 3, 4, 5`,
        ),
        await source.query(`SELECT * FROM "${schema}".entities ORDER BY 1, 2`),
      ];
    } finally {
      await source.destroy();
    }
  }

  /** Waits until the live consumer has committed every source partition to its end. */
  async function caughtUp(): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          for (const base of KPI_SOURCE_TOPICS) {
            const topic = world.topic(base);
            const ends = await admin.fetchTopicOffsets(topic);
            const [committed] = await admin.fetchOffsets({
              groupId: `${KpiSourcesConsumer.groupId}.${world.suffix}`,
              topics: [topic],
            });
            for (const { partition, high } of ends) {
              const offset = committed.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
              if (Number(high) > 0 && Number(offset) < Number(high)) return false;
            }
          }
          return true;
        },
        { what: 'the live consumer at the end of every source topic', timeoutMs: 60_000 },
      );
    } finally {
      await admin.disconnect();
    }
  }

  it('yields exactly the live projection with duplicates, late events and poison in the stream', async () => {
    const dayEvent = at('2026-06-15T10:00:00Z');
    const subs = Array.from({ length: 40 }, (_, i) =>
      submitted(at(`2026-05-${String(1 + (i % 28)).padStart(2, '0')}T03:00:00Z`)),
    );
    const answers = Array.from({ length: 25 }, (_, i) =>
      resolved(at(`2026-05-${String(1 + (i % 28)).padStart(2, '0')}T05:00:00Z`)),
    );
    await world.send(Topics.reportsEvents, [...subs, ...answers, ...answers.slice(0, 5)]); // 5 duplicates
    await world.send(Topics.reportsEvents, [resolved(dayEvent)], at('2026-06-15T18:30:00Z')); // inside grace
    await world.send(Topics.reportsEvents, [resolved(dayEvent)], at('2026-06-15T23:30:00Z')); // late
    const local = (h: number) => new Date(Date.UTC(2026, 9, 2, 17 + h));
    await world.send(Topics.camerasStatus, [
      cameraStatus('CAM-R1', 'online', local(0)),
      cameraStatus('CAM-R1', 'offline', local(5)),
      cameraStatus('CAM-R1', 'online', local(3)), // older than the known state: late
    ]);
    await world.send(Topics.kpiObservations, [
      observation('fibre-household-share', 72, at('2026-05-20T00:00:00Z')),
      observation('no-such-kpi', 1, at('2026-05-20T00:00:00Z')),
    ]);
    await world.until<{ items: ValueBody[] }>(
      `/kpis/values?period=month&at=2026-05-15T00:00:00Z&kpi=report-answered-share&dimensionKind=city&dimensionCode=${CITY}`,
      (b) => b.items[0]?.sampleCount === 65,
    );
    await caughtUp();
    const schema = world.schemaOf('kpi');
    const live = await snapshot(schema);
    expect((live[0] as unknown[]).length).toBeGreaterThan(20);

    await world.stop(world.app);
    const source = new DataSource({ type: 'postgres', url: databaseUrl(), schema });
    await source.initialize();
    try {
      const applied = await rebuildProjection({
        live: source,
        databaseUrl: databaseUrl(),
        brokers: kafkaBrokers(),
        topicSuffix: world.suffix,
        settings: { timeZone: 'Asia/Ho_Chi_Minh', graceMs: 2 * 3_600_000 },
      });
      expect(applied).toBe(40 + 25 + 2 + 3 + 1);
    } finally {
      await source.destroy();
    }
    expect(await snapshot(schema)).toEqual(live);

    // The service starts again on the rebuilt projection and goes on from where the replay stopped.
    world.app = await world.boot(kpiService);
    await world.send(Topics.reportsEvents, [submitted(at('2026-05-28T03:00:00Z'))]);
    const value = await world.until<{ items: ValueBody[] }>(
      `/kpis/values?period=month&at=2026-05-15T00:00:00Z&kpi=report-answered-share&dimensionKind=city&dimensionCode=${CITY}`,
      (b) => b.items[0]?.sampleCount === 66,
    );
    expect(value.items[0].value).toBeCloseTo((25 / 41) * 100, 6);
  });
});
