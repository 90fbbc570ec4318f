import { encodeKafkaMessage, type IocEvent, Topics } from '@ioc/contracts';
import { ServiceWorld, waitFor } from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { gatewayService } from '../src/bootstrap';
import { anIncidentEvent, aReportEvent } from './support/live-events';
import { LiveTestClient, liveUrl } from './support/live-client';

const LIVE_TOPICS = [
  Topics.reportsEvents,
  Topics.incidentsEvents,
  Topics.camerasStatus,
  Topics.trafficStatus,
  Topics.kpiUpdates,
];

/** Resuming from a cursor: across a restart, across instances, and beyond the horizon. */
describe('resuming the live stream', () => {
  const world = new ServiceWorld({ topics: LIVE_TOPICS });
  const clients: LiveTestClient[] = [];
  let token: string;

  const boot = async () => {
    const app = await world.boot(gatewayService);
    await waitFor(async () => (await request(app.getHttpServer()).get('/health/ready')).status === 200, {
      what: 'the gateway to catch up',
    });
    return app;
  };
  const connect = async (app: INestApplication) => {
    const client = await LiveTestClient.connect(liveUrl(app), token);
    clients.push(client);
    return client;
  };
  /** Events spread over the partitions of two topics, each one naming its place in the batch. */
  const batch = (tag: string, count: number): IocEvent[] =>
    Array.from({ length: count }, (_, i) =>
      i % 2 === 0 ? aReportEvent(`rep-${tag}-${i}`) : anIncidentEvent(`inc-${tag}-${i}`),
    );
  const publish = async (events: readonly IocEvent[]) => {
    await world.publish(
      Topics.reportsEvents,
      events.filter((event) => event.type.startsWith('ioc.report.')),
    );
    await world.publish(
      Topics.incidentsEvents,
      events.filter((event) => event.type.startsWith('ioc.incident.')),
    );
  };
  /** Per subject (so per partition), the order received must be the order published. */
  const inOrderPerSubject = (received: readonly string[], published: readonly IocEvent[]) => {
    const ids = new Map(published.map((event) => [event.id, event.subject]));
    const bySubject = new Map<string, string[]>();
    for (const id of received)
      bySubject.set(ids.get(id) ?? '?', [...(bySubject.get(ids.get(id) ?? '?') ?? []), id]);
    for (const [subject, got] of bySubject)
      expect(got).toEqual(published.filter((event) => event.subject === subject).map((event) => event.id));
  };

  beforeAll(async () => {
    await world.setUp();
    token = await world.token({ subject: 'op-resume', roles: ['operator'] });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(() => world.tearDown());

  it('gives a client that comes back after a gateway restart exactly what it missed, in order', async () => {
    let app = await boot();
    const client = await connect(app);
    expect(await client.subscribe({})).toEqual({ ok: true, start: 'snapshot' });
    const before = batch('before', 10);
    await publish(before);
    await waitFor(() => client.events.length === before.length, { what: 'the first batch' });
    const cursor = client.lastCursor();
    client.close();
    await world.stop(app);

    const missed = batch('missed', 12);
    await publish(missed);
    app = await boot();
    const back = await connect(app);
    expect(await back.subscribe({ resumeFrom: cursor })).toEqual({ ok: true, start: 'resumed' });
    const after = batch('after', 6);
    await publish(after);
    await waitFor(() => back.events.length >= missed.length + after.length, {
      what: 'the missed and new events',
    });
    const ids = back.eventIds();
    expect(new Set(ids)).toEqual(new Set([...missed, ...after].map((event) => event.id)));
    expect(ids).toHaveLength(missed.length + after.length);
    inOrderPerSubject(ids, [...missed, ...after]);
    expect(back.snapshots).toHaveLength(0);
    await world.stop(app);
  });

  it('resumes on another instance from the cursor the first gave, with no gap or duplicate at the seam', async () => {
    const [one, two] = await Promise.all([boot(), boot()]);
    const client = await connect(one);
    await client.subscribe({});
    const first = batch('one', 8);
    await publish(first);
    await waitFor(() => client.events.length === first.length);
    const cursor = client.lastCursor();
    client.close();
    const missed = batch('between', 8);
    await publish(missed);
    const moved = await connect(two);
    // Published while the client resumes: each lands in the replay or the live stream, once.
    const during = batch('during', 8);
    const [ack] = await Promise.all([moved.subscribe({ resumeFrom: cursor }), publish(during)]);
    expect(ack).toEqual({ ok: true, start: 'resumed' });
    await waitFor(() => moved.events.length >= missed.length + during.length);
    const ids = moved.eventIds();
    expect(ids).toHaveLength(missed.length + during.length);
    expect(new Set(ids)).toEqual(new Set([...missed, ...during].map((event) => event.id)));
    inOrderPerSubject(ids, [...missed, ...during]);
    await Promise.all([world.stop(one), world.stop(two)]);
  });
});

/** Its own topics: empty partitions, so that changes older than the horizon are all the log would hold. */
describe('resuming beyond the horizon', () => {
  const world = new ServiceWorld({ topics: LIVE_TOPICS });
  const clients: LiveTestClient[] = [];
  let token: string;

  beforeAll(async () => {
    await world.setUp();
    token = await world.token({ subject: 'op-horizon', roles: ['operator'] });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(() => world.tearDown());

  const connect = async (app: INestApplication) => {
    const client = await LiveTestClient.connect(liveUrl(app), token);
    clients.push(client);
    return client;
  };

  it('starts a client from a snapshot when its cursor is beyond the horizon, invalid, or from nowhere', async () => {
    const app = await world.boot(gatewayService);
    const client = await connect(app);
    await client.subscribe({});
    const cursor = client.lastCursor();
    // Changes written an hour ago (Kafka time): older than the horizon, so not kept for a resume.
    const old = [aReportEvent('rep-old-0'), aReportEvent('rep-old-2')];
    const anHourAgo = String(Date.now() - 3_600_000);
    await world.publishRaw(
      Topics.reportsEvents,
      old.map((event) => ({ ...encodeKafkaMessage(event, 'binary'), timestamp: anHourAgo })),
    );
    await waitFor(() => client.events.length === 2);
    client.close();

    const late = await connect(app);
    expect(await late.subscribe({ resumeFrom: cursor })).toEqual({
      ok: true,
      start: 'snapshot',
      resync: 'beyond-horizon',
    });
    expect(late.snapshots[0].reports.map((report) => report.reportId)).toEqual(
      expect.arrayContaining(['rep-old-0', 'rep-old-2']),
    );
    // Then live changes, after the snapshot's cursor.
    const next = aReportEvent('rep-after-snapshot');
    await world.publish(Topics.reportsEvents, [next]);
    await waitFor(() => late.eventIds().includes(next.id));
    expect(late.eventIds()).toEqual([next.id]);

    for (const forged of [
      'AQ',
      'AQYAAAEAAAAGAAAAAAEAAwAAAAYAAAAAAAADAAAA'.replace(/A/g, 'B'),
      'x'.repeat(40),
    ]) {
      const answer = await late.subscribe({ resumeFrom: forged });
      expect(answer).toEqual({ ok: true, start: 'snapshot', resync: 'invalid-cursor' });
    }
  });
});
