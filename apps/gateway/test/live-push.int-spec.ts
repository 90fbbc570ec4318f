import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DevTokenIssuer } from '@ioc/auth';
import { encodeKafkaMessage, LiveEvents, Topics } from '@ioc/contracts';
import { ServiceWorld, waitFor } from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { gatewayService } from '../src/bootstrap';
import { aCameraEvent, aKpiEvent, anIncidentEvent, aReportEvent, aTrafficEvent } from './support/live-events';
import { type ConnectRefusal, LiveTestClient, liveUrl } from './support/live-client';

const LIVE_TOPICS = [
  Topics.reportsEvents,
  Topics.incidentsEvents,
  Topics.camerasStatus,
  Topics.trafficStatus,
  Topics.kpiUpdates,
];

/** The live push as clients see it: who gets in, who sees what, and what a hostile client gets back. */
describe('the live gateway', () => {
  const world = new ServiceWorld({ topics: LIVE_TOPICS, env: { AUTH_CLOCK_TOLERANCE: '0s' } });
  let app: INestApplication;
  let url: string;
  const clients: LiveTestClient[] = [];
  const connect = async (token: string | undefined) => {
    const client = await LiveTestClient.connect(url, token);
    clients.push(client);
    return client;
  };
  const operator = () => world.token({ subject: 'op-1', roles: ['operator'] });
  const agency = (agencyId: string) =>
    world.token({ subject: `ag-${agencyId}`, roles: ['agency'], agencyId });
  const refusal = (token: string | undefined) =>
    LiveTestClient.connect(url, token).then(
      (client) => {
        client.close();
        throw new Error('connected');
      },
      (error: ConnectRefusal) => error.data?.code,
    );

  beforeAll(async () => {
    await world.setUp();
    app = await world.boot(gatewayService, { GATEWAY_CLIENT_RATE_PER_SECOND: '5' });
    url = liveUrl(app);
    await waitFor(async () => (await request(app.getHttpServer()).get('/health/ready')).status === 200, {
      what: 'the gateway to catch up',
    });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(() => world.tearDown());

  it('refuses a handshake without a token, with a bad one, an expired one or the wrong role, saying which', async () => {
    expect(await refusal(undefined)).toBe('AUTH.MISSING_CREDENTIALS');
    expect(await refusal('not-a-jwt')).toBe('AUTH.INVALID_TOKEN');
    const foreignKeys = await mkdtemp(path.join(tmpdir(), 'ioc-gateway-foreign-'));
    const other = await DevTokenIssuer.open({ keysDir: foreignKeys, nodeEnv: 'test' });
    expect(await refusal(await other.mint({ subject: 'x', roles: ['operator'] }))).toBe('AUTH.INVALID_TOKEN');
    await rm(foreignKeys, { recursive: true, force: true });
    const expired = await world.token({ subject: 'op-old', roles: ['operator'], ttlSeconds: 1 });
    await waitFor(
      () =>
        Date.now() > JSON.parse(Buffer.from(expired.split('.')[1], 'base64url').toString()).exp * 1000 + 10,
    );
    expect(await refusal(expired)).toBe('AUTH.TOKEN_EXPIRED');
    expect(await refusal(await world.token({ subject: 'citizen', roles: ['citizen'] }))).toBe(
      'AUTH.ROLE_REQUIRED',
    );
    expect(await refusal(await world.token({ subject: 'int', roles: ['integrator'] }))).toBe(
      'AUTH.ROLE_REQUIRED',
    );
  });

  it('tells a client whose token expires, then closes its connection', async () => {
    const client = await connect(
      await world.token({ subject: 'op-short', roles: ['operator'], ttlSeconds: 2 }),
    );
    await waitFor(() => client.expired.length === 1 && client.disconnected, {
      what: 'the session to expire',
    });
    expect(client.received.at(-1)?.name).toBe(LiveEvents.sessionExpired);
  });

  it('gives the wall a snapshot, then every change of every stream in order, with no personal data', async () => {
    const wall = await connect(await operator());
    await world.publish(Topics.reportsEvents, [aReportEvent('rep-snap-1')]);
    await world.publish(Topics.incidentsEvents, [anIncidentEvent('inc-snap-1')]);
    await waitFor(() => wall.socket.connected);
    const ack = await wall.subscribe({});
    expect(ack).toEqual({ ok: true, start: 'snapshot' });
    expect(wall.snapshots).toHaveLength(1);
    const changes = [aReportEvent('rep-live-1'), aReportEvent('rep-live-1', { agencyId: 'agency-a' })];
    await world.publish(Topics.reportsEvents, changes);
    await world.publish(Topics.camerasStatus, [aCameraEvent('cam-live-1')]);
    await world.publish(Topics.trafficStatus, [aTrafficEvent('seg-live-1')]);
    // A producer breaking the contract: a report event carrying a reporter's contact is not an event, never shown.
    const leaky = aReportEvent('rep-leaky');
    const leakyData = {
      ...(leaky.data as object),
      reporter: { name: 'Nguyen Van A', phone: '+84901234567' },
    };
    await world.publishRaw(Topics.reportsEvents, [
      encodeKafkaMessage({ ...leaky, data: leakyData }, 'binary'),
    ]);
    await world.publish(Topics.kpiUpdates, [aKpiEvent('kpi-live', 3)]);
    await waitFor(() => wall.events.some((message) => message.stream === 'kpi'), { what: 'the KPI update' });
    const ids = wall.eventIds();
    expect(ids.indexOf(changes[0].id)).toBeLessThan(ids.indexOf(changes[1].id));
    expect([...new Set(wall.events.map((message) => message.stream))]).toEqual(
      expect.arrayContaining(['reports', 'cameras', 'traffic', 'kpi']),
    );
    // The two events published before the subscription are in the snapshot or the stream, never both.
    const snapshot = wall.snapshots[0];
    const seenEarly = [
      ...snapshot.reports.map((report) => report.reportId),
      ...snapshot.incidents.map((incident) => incident.incidentId),
      ...wall.events.map((message) => message.event.subject),
    ];
    expect(seenEarly.filter((id) => id === 'rep-snap-1')).toHaveLength(1);
    expect(seenEarly.filter((id) => id === 'inc-snap-1')).toHaveLength(1);
    // Nothing a reporter could be recognised by: no name, phone, e-mail, photo or free text of theirs.
    const everything = JSON.stringify(wall.received.map(({ payload }) => payload)).toLowerCase();
    for (const field of ['reporter', 'phone', '+8490', 'nguyen', 'email', 'contact', 'photo', '"name"'])
      expect(everything).not.toContain(field);
    expect(wall.events.map((message) => message.event.subject)).not.toContain('rep-leaky');
  });

  it('pushes changes read together as few messages, in the order read, ending at the cursor a snapshot takes', async () => {
    const wall = await connect(await operator());
    const reportsOnly = await connect(await operator());
    const kpiOnly = await connect(await operator());
    await wall.subscribe({});
    await reportsOnly.subscribe({ streams: ['reports'] });
    await kpiOnly.subscribe({ streams: ['kpi'] });
    // One item, so one partition: the order read is the order published.
    const burst = Array.from({ length: 40 }, () => aReportEvent('rep-burst'));
    await world.publish(Topics.reportsEvents, burst);
    const ids = burst.map((event) => event.id);
    await waitFor(() => ids.every((id) => wall.eventIds().includes(id)), { what: 'the burst' });
    await waitFor(() => reportsOnly.events.length === wall.events.length, { what: 'the same to the other' });
    expect(wall.eventIds()).toEqual(ids);
    expect(reportsOnly.eventIds()).toEqual(ids);
    expect(wall.messages.length).toBeLessThan(ids.length);
    expect(wall.messages.every((message) => message.changes.length > 0)).toBe(true);
    expect(kpiOnly.messages).toEqual([]);
    // The last message's cursor stands where a snapshot taken now does: after every change it carried.
    const late = await connect(await operator());
    await late.subscribe({});
    expect(wall.lastCursor()).toBe(late.snapshots[0].cursor);
    expect(late.snapshots[0].reports.map((report) => report.reportId)).toContain('rep-burst');
  });

  it('gives an agency only what is assigned to it, and the change that takes an item away, then nothing of it', async () => {
    const a = await connect(await agency('agency-a'));
    const b = await connect(await agency('agency-b'));
    await a.subscribe({});
    await b.subscribe({});
    const assignedToA = aReportEvent('rep-move-1', { agencyId: 'agency-a' });
    const movedToB = aReportEvent('rep-move-1', { agencyId: 'agency-b', previousAgencyId: 'agency-a' });
    const afterMove = aReportEvent('rep-move-1', { agencyId: 'agency-b' });
    const unassigned = aReportEvent('rep-nobody');
    const incidentOfB = anIncidentEvent('inc-b-1', { agencyId: 'agency-b' });
    const incidentMovedToA = anIncidentEvent('inc-b-1', { agencyId: 'agency-a' });
    const incidentAfterMove = anIncidentEvent('inc-b-1', { agencyId: 'agency-a', severity: 'critical' });
    await world.publish(Topics.reportsEvents, [assignedToA, movedToB, afterMove, unassigned]);
    await world.publish(Topics.incidentsEvents, [incidentOfB, incidentMovedToA, incidentAfterMove]);
    await world.publish(Topics.camerasStatus, [aCameraEvent('cam-agency')]);
    // A marker only the wall and agency A see, published last: once A has it, A has had everything before it.
    const marker = anIncidentEvent('inc-marker', { agencyId: 'agency-a' });
    const markerB = anIncidentEvent('inc-marker-b', { agencyId: 'agency-b' });
    await world.publish(Topics.incidentsEvents, [marker, markerB]);
    await waitFor(() => a.eventIds().includes(marker.id) && b.eventIds().includes(markerB.id));
    expect(a.eventIds()).toEqual([
      assignedToA.id,
      movedToB.id,
      incidentMovedToA.id,
      incidentAfterMove.id,
      marker.id,
    ]);
    expect(b.eventIds()).toEqual([
      movedToB.id,
      afterMove.id,
      incidentOfB.id,
      incidentMovedToA.id,
      markerB.id,
    ]);
    // A fresh snapshot of agency A holds what is its own now, not what left it.
    const again = await connect(await agency('agency-a'));
    await again.subscribe({});
    expect(again.snapshots[0].reports.map((report) => report.reportId)).not.toContain('rep-move-1');
    expect(again.snapshots[0].incidents.map((incident) => incident.incidentId)).toEqual(
      expect.arrayContaining(['inc-b-1', 'inc-marker']),
    );
    expect(again.snapshots[0].cameras).toEqual([]);
  });

  it('narrows to the streams, units and severity a client asks for', async () => {
    const narrow = await connect(await operator());
    await narrow.subscribe({ streams: ['incidents'], adminUnitCodes: ['79-761'], minSeverity: 'high' });
    const low = anIncidentEvent('inc-f-low', { severity: 'low', unit: '79-761' });
    const elsewhere = anIncidentEvent('inc-f-else', { severity: 'critical', unit: '79-762' });
    const wanted = anIncidentEvent('inc-f-yes', { severity: 'critical', unit: '79-761' });
    await world.publish(Topics.reportsEvents, [aReportEvent('rep-f', { units: ['79-761'] })]);
    await world.publish(Topics.incidentsEvents, [low, elsewhere, wanted]);
    await waitFor(() => narrow.eventIds().includes(wanted.id));
    expect(narrow.eventIds()).toEqual([wanted.id]);
  });

  it('answers malformed, oversized, unknown and flooding messages with an error and keeps every connection open', async () => {
    const hostile = await connect(await operator());
    const bystander = await connect(await operator());
    await bystander.subscribe({});
    const bad = [
      { streams: ['nope'] },
      { streams: 'reports' },
      { resumeFrom: 'a b c' },
      { adminUnitCodes: ['\u0000'] },
      { extra: true },
      { streams: ['reports', 'reports'] },
    ];
    for (const body of bad) {
      const answer = await hostile.subscribe(body);
      expect(answer).toMatchObject({ ok: false, error: { code: 'LIVE.INVALID_SUBSCRIPTION' } });
      // A refusal names the rule broken, never echoes the value.
      expect(JSON.stringify(answer)).not.toContain('\u0000');
    }
    const big = await hostile.subscribe({
      adminUnitCodes: Array.from({ length: 64 }, (_, i) => `u-${i}`.padEnd(200, 'x')),
    });
    expect(big).toMatchObject({ ok: false, error: { code: 'LIVE.MESSAGE_TOO_LARGE' } });
    (hostile.socket as unknown as { emit(name: string, body: unknown): void }).emit('live:whatever', {});
    await waitFor(() => hostile.errors.some((error) => error.code === 'LIVE.UNKNOWN_EVENT'));
    // A flood: the first messages pass the bucket, the rest are refused, one by one.
    const flood = await Promise.all(
      Array.from({ length: 20 }, () => hostile.subscribe({ streams: ['kpi'] })),
    );
    expect(
      flood.filter((answer) => !answer.ok && answer.error.code === 'LIVE.RATE_LIMITED').length,
    ).toBeGreaterThan(0);
    expect(hostile.socket.connected).toBe(true);
    // Beyond what Socket.IO reads at all (64 KiB), the offender's own connection is closed, and only it.
    const huge = await connect(await operator());
    (huge.socket as unknown as { emit(name: string, body: unknown): void }).emit(LiveEvents.subscribe, {
      pad: 'x'.repeat(100 * 1024),
    });
    await waitFor(() => huge.disconnected, { what: 'the oversized message to close its connection' });
    expect(hostile.socket.connected).toBe(true);
    // The bystander still gets live changes.
    const change = aReportEvent('rep-after-flood');
    await world.publish(Topics.reportsEvents, [change]);
    await waitFor(() => bystander.eventIds().includes(change.id));
    expect(bystander.socket.connected).toBe(true);
  });
});
