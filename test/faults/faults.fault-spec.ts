import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  EventTypes,
  LIVE_STREAM_TOPICS,
  LIVE_STREAMS,
  type LiveStream,
  type TopicName,
  Topics,
} from '@ioc/contracts';
import { createKafka } from '@ioc/messaging';
import {
  databaseUrl,
  expectHandled,
  type FuzzRoute,
  hostileRequest,
  kafkaBrokers,
  readTopic,
  sendRaw,
  type ServiceName,
  ServiceProcesses,
  SERVICE_NAMES,
  ServiceWorld,
  type TopicRecord,
  waitFor,
} from '@ioc/testing';
import fc from 'fast-check';
import { CompressionTypes, type Producer } from 'kafkajs';
import { escapeIdentifier } from 'pg';
import { DataSource } from 'typeorm';
import { decodeCursor } from '../../apps/gateway/src/live/cursor';
import { rebuildProjection, rebuildSchemaOf } from '../../apps/kpi/src/cli/rebuild-projection';
import { AckProbe } from './support/ack-probe';
import { INBOUND, type Poison, rawCopy, withNul } from './support/inbound';
import { compareProjections, type ProjectionDiff } from './support/kpi-projection';
import { infra, outage, type OutageFindings } from './support/outage';
import { readSentLog, type SentBatch } from './support/sent-log';
import { FaultTable } from './support/table';
import { WallClient } from './support/wall-client';
import { WorldState } from './support/world-state';

// The fault suite (docs/architecture.md, "Faults"): every service started as a real process by `npm start`'s own
// script on a Kafka broker and a Postgres of the suite's own (test/faults/infra.mjs), the simulator driving load
// through the public interfaces at a high speed, and meanwhile each service SIGKILLed once (the supervisor of
// start.mjs starts it again), the broker SIGKILLed and started again, Postgres crashed and started again, poison on
// every inbound topic and hostile HTTP on every service. Then the simulator ends, the system settles (every consumer
// group's lag 0, every outbox empty) and what the simulator was told was accepted (its SIMULATOR_SENT_LOG) is
// reconciled with the services' state, the DLQ with the poison injected. A table of what was injected and found is
// printed; any mismatch fails. Logs: .run/faults/<suffix>/ (start.log, one JSON log per service, sent.jsonl), the
// broker's and Postgres's in .run/faults/<run id>-infra/. Helpers: test/faults/support/.

const ROOT = path.resolve(__dirname, '../..');
const CITY_DATA_DIR = path.join(ROOT, 'data', 'cities', 'hai-phong');
/** Simulated seconds per real second: 4 simulated hours a minute. */
const SPEED = '240';
/** Simulated time the simulator plays after its (re)start: about 150 s of real time at SPEED. */
const DURATION = '10h';
const LE_CHAN = { lat: 20.842, lon: 106.66 };
const HOSTILE_RUNS_PER_SERVICE = 30;
const SETTLE = { timeoutMs: 240_000, intervalMs: 1_000 };
/** Wall clients connected through the broker's restart and the gateway's SIGKILL, each resuming from its last cursor. */
const WALL_CLIENTS = 2;
/** How long the broker and Postgres stay down before they are started again. */
const DOWN_MS = 5_000;

const world = new ServiceWorld();
const state = new WorldState(world);
const table = new FaultTable();
const row: FaultTable['row'] = (...args) => table.row(...args);
const logDir = path.join(ROOT, '.run', 'faults', world.suffix);
const sentLogFile = path.join(logDir, 'sent.jsonl');
let services: ServiceProcesses | undefined;
let producer: Producer | undefined;
let operator: string;
const poison: Poison[] = [];
/** Ids of events republished as duplicates, by inbound topic. */
const duplicated = new Map<TopicName, string>();
/** Reports created by hostile requests that happened to be valid (a 2xx is an accepted report). */
const hostileReports: string[] = [];
const hostileFailures: string[] = [];
const walls: WallClient[] = [];

const processes = () => {
  if (services === undefined) throw new Error('the services did not start');
  return services;
};

beforeAll(async () => {
  await world.setUp();
  services = await ServiceProcesses.start(world, {
    logDir,
    env: {
      CITY_DATA_DIR,
      SIMULATOR_SPEED: SPEED,
      SIMULATOR_DURATION: DURATION,
      SIMULATOR_SENT_LOG: sentLogFile,
      SIMULATOR_PROGRESS_INTERVAL: '10s',
      KPI_PUBLISH_INTERVAL: '1s',
    },
  });
  operator = await world.token({ subject: 'faults-operator', roles: ['operator'] });
  producer = createKafka({ clientId: 'fault-suite', brokers: kafkaBrokers(), logLevel: 'nothing' }).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
}, 600_000);

afterAll(async () => {
  table.print();
  for (const wall of walls) wall.close();
  await producer?.disconnect();
  try {
    await services?.stop();
  } finally {
    await world.tearDown();
  }
}, 180_000);

async function simulation(): Promise<{
  running: boolean;
  interfaces: Record<string, Record<string, number>>;
}> {
  const response = await fetch(`${processes().url('simulator')}/simulation`);
  return (await response.json()) as Awaited<ReturnType<typeof simulation>>;
}

/** Accepted events of `type` in the sent log so far. */
const acceptedOf = (type: string) =>
  readSentLog(sentLogFile)
    .filter((batch) => batch.outcome === 'accepted')
    .flatMap((batch) => batch.events)
    .filter((event) => event.type === type);

/**
 * Where acknowledged events went missing, to look up in the logs: never on the topic (lost between the service's
 * acknowledgement and the broker), with the simulator's batches that carried them; or on the topic and not applied
 * (skipped by the consumer), with their places and the group's committed offsets.
 */
function whereLost(
  neverOnTopic: readonly { id: string }[],
  notApplied: readonly TopicRecord[],
  batches: readonly SentBatch[],
  committed: Record<string, string>,
): string {
  const lost = new Set(neverOnTopic.map((e) => e.id));
  const carriers = batches.filter((b) => b.events.some((e) => lost.has(e.id))).map((b) => b.batch);
  const places = notApplied.slice(0, 20).map((r) => `${r.partition}@${r.offset}`);
  return (
    `${neverOnTopic.length} never on the topic (batches ${carriers.slice(0, 20).join(', ')}), ` +
    `${notApplied.length} on it and not applied (at ${places.join(' ')}; committed ${JSON.stringify(committed)})`
  );
}

describe('under simulator load', () => {
  beforeAll(async () => {
    // Load first: the faults must land on services that are busy.
    await waitFor(() => acceptedOf(EventTypes.cameraHeartbeat).length > 0, {
      timeoutMs: 60_000,
      what: 'the simulator to be acknowledged a heartbeat',
    });
    // Wall clients, through the broker's restart and the gateway's SIGKILL: each resumes from its cursor.
    for (let i = 0; i < WALL_CLIENTS; i++) {
      const wall = new WallClient(processes().url('gateway'), operator, () => state.liveEnds());
      walls.push(wall);
      expect(await wall.connect()).toEqual({ ok: true, start: 'snapshot' });
    }
  }, 120_000);

  it('the Kafka broker, SIGKILLed and started again on its data, is ridden out: every service ready again', async () => {
    expect((await simulation()).running).toBe(true);
    // Besides the services' own sends, senders of the suite's through the same producer class, so that a send the
    // broker acknowledged and lost is caught even when the simulator's requests happen not to hit the moment.
    const probe = await AckProbe.start(`fault-suite.acks.${world.suffix}`);
    const found = await outage(processes(), {
      stop: () => infra('kill-kafka'),
      start: () => infra('start-kafka'),
      downMs: DOWN_MS,
    });
    const acks = await probe.stop();
    row(
      'broker SIGKILL: producer sends acknowledged → on the topic',
      acks.acknowledged,
      acks.acknowledged - acks.missing.length,
    );
    table.note(`broker SIGKILL: ${acks.failed} producer sends failed (told so, retried by their callers)`);
    expect(acks.missing).toEqual([]);
    expect(acks.acknowledged).toBeGreaterThan(0);
    expectNoUnhandled5xx(reportOutage('Kafka broker SIGKILL', found));
  }, 300_000);

  it('Postgres, crashed (immediate shutdown) and started again, is ridden out: every service ready again', async () => {
    expect((await simulation()).running).toBe(true);
    const found = await outage(processes(), {
      stop: () => infra('crash-postgres'),
      start: () => infra('start-postgres'),
      downMs: DOWN_MS,
    });
    expectNoUnhandled5xx(reportOutage('Postgres crash', found));
  }, 300_000);

  // Five restarts, each awaited until ready: about 110 s on a busy 2-core machine.
  it('each service, SIGKILLed once, is started again by the supervisor and answers ready', async () => {
    // The simulator first: started again, it plays its whole duration, under which the others are killed.
    for (const name of ['simulator', ...SERVICE_NAMES.filter((n) => n !== 'simulator')] as ServiceName[]) {
      const before = processes().pidOf(name);
      const started = Date.now();
      const after = await processes().crash(name);
      if (name === 'gateway') {
        await waitFor(() => walls.every((wall) => wall.disconnected), {
          what: 'the wall clients to see the gateway go',
        });
        for (const wall of walls) expect(await wall.connect()).toEqual({ ok: true, start: 'resumed' });
      }
      row(
        `SIGKILL ${name} → ready again`,
        `pid ${before}`,
        `pid ${after} ${((Date.now() - started) / 1000).toFixed(0)} s`,
        after !== before,
      );
      expect(after).not.toBe(before);
    }
  }, 300_000);

  it('poison on every inbound topic and duplicate event ids', async () => {
    const send = async (
      topic: TopicName,
      messages: Parameters<Producer['send']>[0]['messages'],
      gzip = false,
    ) =>
      producer?.send({
        topic: world.topic(topic),
        acks: -1,
        messages,
        ...(gzip ? { compression: CompressionTypes.GZIP } : {}),
      });
    for (const [type, { topic, consumer }] of Object.entries(INBOUND)) {
      // A real event of the topic, acknowledged to the simulator: the template of the poison, and republished
      // byte for byte as a duplicate (a producer's retry), which must be skipped.
      const sample = await waitFor(() => acceptedOf(type)[0], {
        timeoutMs: 120_000,
        what: `an accepted ${type}`,
      });
      const original = (await readTopic(world.topic(topic))).find((record) => record.event?.id === sample.id);
      if (original?.event === undefined) throw new Error(`${sample.id} is not on ${topic}`);
      duplicated.set(topic, sample.id);
      await send(
        topic,
        [0, 1].map(() => rawCopy(original)),
      );

      const structured = (event: Record<string, unknown>) => ({
        value: JSON.stringify(event),
        headers: { 'content-type': 'application/cloudevents+json' },
      });
      const event = original.event;
      const inject = async (
        kind: string,
        reason: string,
        message: { value: string; headers?: Record<string, string> },
        gzip = false,
      ) => {
        const key = `poison-${kind}-${randomUUID()}`;
        poison.push({ key, topic, kind, reason, consumer });
        await send(topic, [{ key, ...message }], gzip);
      };
      await inject('not JSON', 'payload.not_json', {
        value: '{"specversion": "1.0", not json',
        headers: { 'content-type': 'application/cloudevents+json' },
      });
      await inject(
        'invalid schema',
        'schema.invalid',
        structured({ ...event, id: randomUUID(), data: { bogus: 1 } }),
      );
      await inject(
        'U+0000 in text',
        'schema.invalid',
        structured({ ...event, id: randomUUID(), data: withNul(event.data as Record<string, unknown>) }),
      );
      // Over the consumers' 1 MiB limit, under the broker's once compressed.
      await inject(
        'oversized',
        'payload.too_large',
        structured({
          ...event,
          id: randomUUID(),
          data: { ...(event.data as object), pad: 'x'.repeat(1_200_000) },
        }),
        true,
      );
      if (type === EventTypes.cameraDetection || type === EventTypes.cameraHeartbeat) {
        await inject(
          'unknown camera',
          'INTAKE.UNKNOWN_CAMERA',
          structured({
            ...event,
            id: randomUUID(),
            subject: 'CAM-NO-SUCH-CAMERA',
            data: { ...(event.data as object), cameraId: 'CAM-NO-SUCH-CAMERA' },
          }),
        );
      }
    }
    row('poison records injected', poison.length, poison.length);
    row('duplicate ids republished (×2 each)', duplicated.size, duplicated.size);
  });

  it('hostile HTTP on every service answers no 5xx and an error body of a documented shape', async () => {
    const bearer = { authorization: `Bearer ${operator}` };
    const routes: Record<ServiceName, { routes: FuzzRoute[]; shapes?: ('ioc' | 'open311')[] }> = {
      reports: {
        routes: [
          {
            method: 'POST',
            path: '/reports',
            valid: [
              { categoryCode: 'sidewalk-encroachment', description: 'Lấn chiếm vỉa hè', location: LE_CHAN },
            ],
          },
          { method: 'GET', path: '/reports/track/:code' },
          {
            method: 'POST',
            path: '/open311/v2/requests.json',
            valid: [{ service_code: 'x', lat: 20.8, long: 106.6 }],
          },
          { method: 'GET', path: '/operator/reports', headers: bearer },
        ],
        shapes: ['ioc', 'open311'],
      },
      intake: {
        routes: [
          {
            method: 'POST',
            path: '/ingest/events',
            headers: { 'x-api-key': 'ioc_notakey_0000' },
            valid: [{}],
          },
          { method: 'GET', path: '/incidents', headers: bearer },
        ],
      },
      kpi: { routes: [{ method: 'GET', path: '/kpis/values', headers: bearer }] },
      gateway: {
        routes: [
          { method: 'GET', path: '/wall/assets/:name' },
          { method: 'POST', path: '/api/incidents/:id/acknowledge', valid: [{}] },
          { method: 'POST', path: '/api/reports/:id/assign', headers: bearer, valid: [{ agencyId: 'AG-X' }] },
        ],
      },
      simulator: { routes: [{ method: 'GET', path: '/simulation' }] },
    };
    let sent = 0;
    for (const name of SERVICE_NAMES) {
      const { routes: serviceRoutes, shapes } = routes[name];
      const requests = fc.sample(hostileRequest(serviceRoutes), {
        numRuns: HOSTILE_RUNS_PER_SERVICE,
        seed: 42,
      });
      for (const request of requests) {
        sent++;
        const response = await sendRaw(processes().url(name), request);
        try {
          expectHandled(request, response, shapes);
        } catch (error) {
          hostileFailures.push(`${name}: ${(error as Error).message.slice(0, 300)}`);
        }
        // A hostile request that happens to be a valid report is an accepted report like any other.
        if (name === 'reports' && response.status < 300 && request.method === 'POST') {
          const json = JSON.parse(response.body.toString('utf8')) as
            { id?: string; token?: string }[] | { id?: string };
          const id = Array.isArray(json) ? json[0]?.token : json.id;
          if (id !== undefined) hostileReports.push(id);
        }
      }
    }
    row(
      'hostile HTTP requests: 5xx or undocumented',
      sent,
      hostileFailures.length,
      hostileFailures.length === 0,
    );
    expect(hostileFailures).toEqual([]);
  });
});

describe('once the simulator has ended and the system settled', () => {
  beforeAll(async () => {
    await waitFor(async () => !(await simulation()).running, {
      timeoutMs: 400_000,
      intervalMs: 1_000,
      what: 'the simulator to end its scenario',
    });
    // Settled: twice in a row, every group of this world at the end of its topics and every outbox empty.
    let settledBefore = false;
    await waitFor(
      async () => {
        const lag = await state.totalLag();
        const outbox = await state.outboxRows();
        const settled = lag === 0 && outbox === 0;
        const twice = settled && settledBefore;
        settledBefore = settled;
        return twice;
      },
      { ...SETTLE, what: 'consumer lag 0 and empty outboxes' },
    );
  }, 700_000);

  it('every consumer group of this world is at the end of its topics: no partition stayed blocked', async () => {
    const lags = await state.lagsByGroup();
    for (const [group, lag] of lags) row(`lag of ${group.replace(`.${world.suffix}`, '')}`, 0, lag);
    expect([...lags.values()].every((lag) => lag === 0)).toBe(true);
    expect(lags.size).toBeGreaterThanOrEqual(5);
  });

  it('wall clients, through the broker restart and the gateway SIGKILL, missed nothing and saw nothing twice', async () => {
    // The streams every change of which an operator is pushed; traffic changes may be dropped for a busy
    // client and KPI values coalesced per key (docs/architecture.md, "Live gateway"): of those, the latest.
    const exact: LiveStream[] = ['reports', 'incidents', 'cameras'];
    const ends = await state.liveEnds();
    const reached = (wall: WallClient) => {
      if (wall.cursor === undefined) return false;
      const at = decodeCursor(wall.cursor);
      return exact.every((stream) => {
        const i = LIVE_STREAMS.indexOf(stream);
        return ends[i].every((end, partition) => (at[i][partition] ?? 0) >= end);
      });
    };
    await waitFor(() => walls.every(reached), { timeoutMs: 60_000, what: 'the wall clients to catch up' });
    // What a fresh reader of the live topics holds: each event's place.
    const onTopics: { stream: LiveStream; id: string; subject: string; partition: number; offset: number }[] =
      [];
    for (const stream of LIVE_STREAMS)
      for (const record of await readTopic(world.topic(LIVE_STREAM_TOPICS[stream])))
        if (record.event)
          onTopics.push({
            stream,
            id: record.event.id,
            subject: record.event.subject,
            partition: record.partition,
            offset: Number(record.offset),
          });
    // An event may be on the topics twice: an outbox relay that died, or failed with the broker gone, after the
    // broker took its batch publishes it again (at least once; consumers skip the id). A client gets each record.
    const keyOf = (r: { stream: LiveStream; id: string }) => `${r.stream}:${r.id}`;
    const republished = new Set(onTopics.map(keyOf).filter((key, i, keys) => keys.indexOf(key) !== i));
    row('live topics: events on more than one record', '-', republished.size, true);
    const byStream = LIVE_STREAMS.map(
      (stream) => [stream, [...republished].filter((k) => k.startsWith(`${stream}:`))] as const,
    );
    table.note(
      `live topics, events on more than one record: ${byStream.map(([stream, ks]) => `${stream} ${ks.length}`).join(', ')}`,
    );
    /** Whether a record lies from position `a` (inclusive) to `b` (exclusive). */
    const within =
      (a: number[][], b: number[][]) => (r: { stream: LiveStream; partition: number; offset: number }) => {
        const i = LIVE_STREAMS.indexOf(r.stream);
        return r.offset >= (a[i][r.partition] ?? 0) && r.offset < (b[i][r.partition] ?? 0);
      };
    const problems: string[] = [];
    walls.forEach((wall, n) => {
      const name = `wall client ${n + 1}`;
      if (wall.from === undefined || wall.cursor === undefined) throw new Error(`${name} holds nothing`);
      const inRange = onTopics.filter(within(decodeCursor(wall.from), decodeCursor(wall.cursor)));
      const keys = wall.received.map(keyOf);
      const got = new Set(keys);
      // Each key's records within the range, in the order read.
      const ranged = new Map<string, typeof inRange>();
      for (const r of inRange) ranged.set(keyOf(r), [...(ranged.get(keyOf(r)) ?? []), r]);
      const counts = new Map<string, number>();
      for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
      const twice = [...counts].reduce(
        (sum, [key, n]) => sum + Math.max(0, n - (ranged.get(key)?.length ?? n)),
        0,
      );
      const unknown = keys.filter((key) => !ranged.has(key)).length;
      const expected = inRange.filter((r) => exact.includes(r.stream));
      const missing = expected.filter((r) => !got.has(`${r.stream}:${r.id}`));
      // Of each KPI key, the latest value in the range is never coalesced away.
      const latest = new Map<string, (typeof inRange)[number]>();
      for (const r of inRange.filter((x) => x.stream === 'kpi')) latest.set(r.subject, r);
      const kpiMissing = [...latest.values()].filter((r) => !got.has(`kpi:${r.id}`));
      // Per partition, in offset order, across the restarts: the n-th time a key came is its n-th record.
      const last = new Map<string, number>();
      const seen = new Map<string, number>();
      let outOfOrder = 0;
      for (const key of keys) {
        const nth = seen.get(key) ?? 0;
        seen.set(key, nth + 1);
        const records = ranged.get(key);
        const r = records?.[Math.min(nth, records.length - 1)];
        if (r === undefined) continue;
        const at = `${r.stream}:${r.partition}`;
        if ((last.get(at) ?? -1) >= r.offset) outOfOrder++;
        last.set(at, r.offset);
      }
      // What was published while it was away (the gateway down), pushed on the connection that resumed.
      const resume = wall.resumes[0];
      const away = resume ? expected.filter(within(decodeCursor(resume.from), resume.ends)) : [];
      const onResumed = new Set(
        wall.received.filter((x) => x.connection === resume?.connection).map((x) => `${x.stream}:${x.id}`),
      );
      const replayed = away.filter((r) => onResumed.has(`${r.stream}:${r.id}`));
      const ack = wall.acks.at(-1);
      row(`${name}: resumed after the gateway restart`, 'resumed', ack?.ok === true ? ack.start : 'refused');
      row(`${name}: missed while away → replayed`, away.length, replayed.length);
      row(`${name}: report/incident/camera changes → got`, expected.length, expected.length - missing.length);
      row(`${name}: KPI keys, latest value → got`, latest.size, latest.size - kpiMissing.length);
      row(
        `${name}: traffic changes on topics / got`,
        inRange.filter((r) => r.stream === 'traffic').length,
        keys.filter((k) => k.startsWith('traffic:')).length,
        true,
      );
      row(`${name}: changes seen twice`, 0, twice);
      row(`${name}: changes not on the topics`, 0, unknown);
      row(`${name}: out of partition order`, 0, outOfOrder);
      row(
        `${name}: snapshots, resyncs, errors`,
        '1, 0, 0',
        `${wall.snapshots}, ${wall.resyncs.length}, ${wall.errors.length}`,
      );
      if (wall.resumes.length === 0) problems.push(`${name} never resumed`);
      if (missing.length + kpiMissing.length + twice + unknown + outOfOrder > 0)
        problems.push(
          `${name}: ${missing.length} missing, ${kpiMissing.length} KPI keys missing, ${twice} twice, ${unknown} unknown, ${outOfOrder} out of order`,
        );
      if (replayed.length !== away.length)
        problems.push(`${name}: ${away.length - replayed.length} missed while away`);
      if (wall.snapshots !== 1 || wall.resyncs.length + wall.errors.length > 0)
        problems.push(
          `${name}: ${wall.snapshots} snapshots, resyncs ${wall.resyncs.join()}, errors ${wall.errors.join()}`,
        );
    });
    expect(problems).toEqual([]);
  });

  it('the KPI projection equals a rebuild from the source topics, with the service running', async () => {
    const schema = world.schemaOf('kpi');
    const rebuilt = rebuildSchemaOf(schema);
    const live = new DataSource({ type: 'postgres', url: databaseUrl(), schema });
    await live.initialize();
    try {
      // A source event that arrives while the rebuild replays (a timer of another service) leaves the two
      // holding different events: then the rebuild runs again.
      let diff: ProjectionDiff | undefined;
      let applied = 0;
      for (let attempt = 1; attempt <= 3 && (diff === undefined || diff.inbox > 0); attempt++) {
        await waitFor(async () => (await state.lagsByGroup()).get(`kpi.sources.${world.suffix}`) === 0, {
          ...SETTLE,
          what: 'the kpi consumer at the end of its topics',
        });
        applied = await rebuildProjection({
          live,
          databaseUrl: databaseUrl(),
          brokers: kafkaBrokers(),
          topicSuffix: world.suffix,
          // The kpi service's defaults, which start.mjs --demo keeps.
          settings: { timeZone: 'Asia/Ho_Chi_Minh', graceMs: 2 * 3_600_000 },
          switchTo: false,
        });
        diff = await compareProjections(escapeIdentifier(schema), escapeIdentifier(rebuilt));
      }
      if (diff === undefined) throw new Error('no rebuild ran');
      row('KPI rebuild: events replayed → applied live', applied, diff.liveApplied);
      row('KPI rebuild: applied events, live ≠ rebuilt', 0, diff.inbox);
      for (const [table, { rows, differ }] of Object.entries(diff.tables))
        row(`KPI rebuild ≠ live: ${table} (${rows} rows)`, 0, differ);
      expect(diff.inbox).toBe(0);
      expect(Object.values(diff.tables).map(({ differ }) => differ)).toEqual(
        Object.values(diff.tables).map(() => 0),
      );
      expect(diff.tables.aggregates.rows).toBeGreaterThan(0);
    } finally {
      await live.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(rebuilt)} CASCADE`);
      await live.destroy();
    }
  });

  it('every event the simulator was acknowledged is applied exactly once, and nothing it did not send', async () => {
    const batches = readSentLog(sentLogFile);
    const problems: string[] = [];
    for (const [type, { consumer, service, topic }] of Object.entries(INBOUND)) {
      const sent = batches.flatMap((b) => b.events).filter((e) => e.type === type);
      const accepted = batches
        .filter((b) => b.outcome === 'accepted')
        .flatMap((b) => b.events)
        .filter((e) => e.type === type);
      const inbox = await state.query<{ event_id: string; outcome: string }>(
        service,
        (s) => `SELECT event_id, outcome FROM ${s}.inbox WHERE consumer = $1`,
        [consumer],
      );
      // A consumer of several topics (kpi.sources) keeps them all in one inbox: this topic's ids only.
      const onTopic = new Map<string, TopicRecord>();
      for (const record of await readTopic(world.topic(topic)))
        if (record.event && !onTopic.has(record.event.id)) onTopic.set(record.event.id, record);
      const applied = new Set(
        inbox.filter((r) => r.outcome === 'applied' && onTopic.has(r.event_id)).map((r) => r.event_id),
      );
      const missing = accepted.filter((e) => !applied.has(e.id));
      const sentIds = new Set(sent.map((e) => e.id));
      const unknown = [...applied].filter((id) => !sentIds.has(id));
      row(`${topic}: acknowledged → applied`, accepted.length, accepted.length - missing.length);
      row(`${topic}: applied, never sent`, 0, unknown.length);
      if (missing.length > 0) {
        const neverOnTopic = missing.filter((e) => !onTopic.has(e.id));
        const notApplied = missing.flatMap((e) => onTopic.get(e.id) ?? []);
        row(`${topic}: acknowledged, never on the topic`, 0, neverOnTopic.length);
        row(`${topic}: on the topic, not applied`, 0, notApplied.length);
        problems.push(
          `${topic}: ${missing.length} acknowledged events not applied; ` +
            whereLost(neverOnTopic, notApplied, batches, await state.committedOffsets(consumer)),
        );
      }
      if (unknown.length > 0) problems.push(`${topic}: ${unknown.length} applied events never sent`);
      const duplicate = duplicated.get(topic) ?? '';
      row(`${topic}: duplicate id applied, once`, 1, inbox.filter((r) => r.event_id === duplicate).length);
      expect(applied.has(duplicate)).toBe(true);

      // The state, not only the inbox: each applied event counted once.
      const counted = await state.stateCount(type, sent, applied);
      if (counted !== undefined) {
        row(`${topic}: counted in state`, counted.expected, counted.found);
        if (counted.expected !== counted.found)
          problems.push(`${topic}: state counts ${counted.found}, not ${counted.expected}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every report the reports service accepted over REST or Open311 is stored once, and only those sent', async () => {
    const batches = readSentLog(sentLogFile).filter(
      (b) => b.interface === 'reports.rest' || b.interface === 'reports.open311',
    );
    const accepted = [
      ...batches.filter((b) => b.outcome === 'accepted').map((b) => b.reportId as string),
      ...hostileReports,
    ];
    const stored = await state.query<{ id: string }>(
      'reports',
      (s) =>
        `SELECT r.id FROM ${s}.reports r WHERE NOT EXISTS (SELECT 1 FROM ${s}.external_ids x WHERE x.report_id = r.id)`,
    );
    const ids = new Set(stored.map((r) => r.id));
    const missing = accepted.filter((id) => !ids.has(id));
    // A request whose answer was lost (a service or the simulator killed) may or may not have made a report.
    const unanswered = batches.filter((b) => b.outcome === undefined || b.outcome === 'failed').length;
    row('reports over REST/Open311: accepted → stored', accepted.length, accepted.length - missing.length);
    row(
      '  stored, of accepted..accepted+unanswered',
      `${accepted.length}..${accepted.length + unanswered}`,
      ids.size,
      ids.size >= accepted.length && ids.size <= accepted.length + unanswered,
    );
    expect(missing).toEqual([]);
    expect(ids.size).toBeGreaterThanOrEqual(accepted.length);
    expect(ids.size).toBeLessThanOrEqual(accepted.length + unanswered);
  });

  it("the simulator's own counts agree with its sent log", async () => {
    const status = await simulation();
    const batches = readSentLog(sentLogFile);
    const last = batches.at(-1)?.batch.replace(/-b\d+$/, '');
    const ofLastRun = batches.filter((b) => b.batch.startsWith(`${last}-b`) && b.outcome === 'accepted');
    for (const on of ['kafka', 'intake.http', 'reports.rest', 'reports.open311']) {
      const fromLog = ofLastRun
        .filter((b) => b.interface === on)
        .reduce((sum, b) => sum + (on.startsWith('reports.') ? 1 : b.events.length), 0);
      row(`simulator ${on} accepted: GET /simulation vs log`, status.interfaces[on]?.accepted ?? 0, fromLog);
      expect(fromLog).toBe(status.interfaces[on]?.accepted);
    }
  });

  it('the DLQ holds exactly the poison injected, each with its reason', async () => {
    const letters = await readTopic(world.topic(Topics.dlq));
    const byKey = new Map<string, TopicRecord[]>();
    for (const letter of letters)
      byKey.set(letter.key ?? '', [...(byKey.get(letter.key ?? '') ?? []), letter]);
    const problems: string[] = [];
    for (const kind of [...new Set(poison.map((p) => p.kind))]) {
      const ofKind = poison.filter((p) => p.kind === kind);
      const right = ofKind.filter((p) => {
        const found = byKey.get(p.key) ?? [];
        return (
          found.length === 1 &&
          found[0].headers['ioc-dlq-reason'] === p.reason &&
          found[0].headers['ioc-dlq-consumer'] === p.consumer &&
          found[0].headers['ioc-dlq-source-topic'] === world.topic(p.topic)
        );
      });
      row(`DLQ: ${kind} (${ofKind[0].reason})`, ofKind.length, right.length);
      for (const p of ofKind.filter((x) => !right.includes(x))) {
        const found = byKey.get(p.key) ?? [];
        problems.push(
          `${p.kind} on ${p.topic}: ${found.length} letters, reasons ${found.map((f) => f.headers['ioc-dlq-reason']).join(',')}`,
        );
      }
    }
    const keys = new Set(poison.map((p) => p.key));
    const others = letters.filter((letter) => !keys.has(letter.key ?? ''));
    row('DLQ: letters of anything not injected', 0, others.length);
    for (const other of others.slice(0, 10)) {
      problems.push(
        `unexpected letter from ${other.headers['ioc-dlq-source-topic']}: ${other.headers['ioc-dlq-reason']} ${other.headers['ioc-dlq-detail']}`,
      );
    }
    expect(problems).toEqual([]);
    expect(others).toHaveLength(0);
  });
});

/**
 * The rows of an outage: how long the server and the services were down, who was restarted, what the services
 * answered 5xx and logged meanwhile (those lines go under the table).
 */
function reportOutage(what: string, found: OutageFindings): OutageFindings {
  const listed = (entries: [string, number][]) =>
    entries.length === 0 ? 'none' : entries.map(([key, n]) => `${key} ×${n}`).join(', ');
  row(`${what}: down → answering again`, `${DOWN_MS / 1000} s down`, `${found.downSeconds} s`, true);
  row(`${what}: every service ready again`, 'yes', `${found.recoveredSeconds} s`, true);
  row(
    `${what}: not ready (s)`,
    '-',
    Object.entries(found.notReady)
      .map(([name, s]) => `${name} ${s}`)
      .join(', ') || 'none',
    true,
  );
  row(`${what}: restarted by the supervisor`, '-', found.restarted.join(', ') || 'none', true);
  const unhandled = Object.entries(found.serverErrors).filter(([key]) => !key.endsWith(' 503'));
  const unavailable = Object.entries(found.serverErrors).filter(([key]) => key.endsWith(' 503'));
  row(
    `${what}: 5xx answers other than 503`,
    0,
    unhandled.reduce((sum, [, n]) => sum + n, 0),
  );
  row(
    `${what}: 503 answers`,
    '-',
    unavailable.reduce((sum, [, n]) => sum + n, 0),
    true,
  );
  table.note(`${what}, 5xx answers: ${listed(Object.entries(found.serverErrors))}`);
  table.note(`${what}, logged: ${listed(Object.entries(found.logged).sort(([, a], [, b]) => b - a))}`);
  return found;
}

/** A dependency's outage may be answered 503 (unavailable, retry later), never with an unhandled error. */
function expectNoUnhandled5xx(found: OutageFindings): void {
  expect(Object.keys(found.serverErrors).filter((key) => !key.endsWith(' 503'))).toEqual([]);
}
