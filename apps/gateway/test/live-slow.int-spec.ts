import { EventTypes, type IocEvent, Topics } from '@ioc/contracts';
import { ServiceWorld, waitFor } from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { gatewayService } from '../src/bootstrap';
import { aKpiEvent, aReportEvent, aTrafficEvent } from './support/live-events';
import { LiveTestClient, liveUrl } from './support/live-client';

/** engine.io-client's polling transport, as far as stopping and restarting its polls goes. */
interface PollingTransport {
  readyState: string;
  pause(onPause: () => void): void;
  _poll(): void;
}

/** A client that stops reading must not hold up one that reads; it is told to resync instead. */
describe('a slow client', () => {
  const world = new ServiceWorld({
    topics: [
      Topics.reportsEvents,
      Topics.incidentsEvents,
      Topics.camerasStatus,
      Topics.trafficStatus,
      Topics.kpiUpdates,
    ],
  });
  let app: INestApplication;
  const metric = async (name: string, outcome: string) => {
    const text = (await request(app.getHttpServer()).get('/metrics')).text;
    const line = text.split('\n').find((row) => row.startsWith(`${name}{outcome="${outcome}"}`));
    return Number(line?.split(' ')[1] ?? 0);
  };

  beforeAll(async () => {
    await world.setUp();
    app = await world.boot(gatewayService, {
      GATEWAY_CLIENT_MAX_PENDING: '64',
      GATEWAY_CLIENT_MAX_IN_FLIGHT: '16',
    });
  });

  afterAll(() => world.tearDown());

  it('does not delay a fast one, loses only traffic and superseded KPI values, then is told to resync', async () => {
    const token = await world.token({ subject: 'op-speed', roles: ['operator'] });
    const fast = await LiveTestClient.connect(liveUrl(app), token);
    const slow = await LiveTestClient.connect(liveUrl(app), token, { transports: ['polling'] });
    await fast.subscribe({});
    await slow.subscribe({});
    const transport = slow.socket.io.engine.transport as unknown as PollingTransport;
    const paused = new Promise<void>((resolve) => transport.pause(resolve));
    // The poll in flight returns with the first change; then the slow client reads nothing more.
    await world.publish(Topics.reportsEvents, [aReportEvent('rep-slow-first')]);
    await paused;

    const changes: IocEvent[] = [];
    for (let round = 0; round < 10; round++) {
      const reports = Array.from({ length: 20 }, (_, i) => aReportEvent(`rep-slow-${round}-${i}`));
      const traffic = Array.from({ length: 5 }, (_, i) => aTrafficEvent(`seg-slow-${i}`, round + i));
      const kpis = [aKpiEvent('kpi-slow', round)];
      await world.publish(Topics.reportsEvents, reports);
      await world.publish(Topics.trafficStatus, traffic);
      await world.publish(Topics.kpiUpdates, kpis);
      changes.push(...reports, ...traffic, ...kpis);
    }
    // The fast client gets every report and KPI change, whatever the slow one does. Traffic is volatile for every
    // client: on a loaded machine even the fast one may have a full write buffer for a moment and lose some.
    const kept = changes.filter((change) => change.type !== EventTypes.trafficCongestionChanged);
    await waitFor(() => kept.every((change) => fast.eventIds().includes(change.id)), {
      what: 'the fast client to get every report and KPI change',
    });
    expect(fast.resyncs).toEqual([]);
    await waitFor(async () => (await metric('ioc_gateway_slow_client_total', 'too-slow')) >= 1, {
      what: 'the slow client to be given up on',
    });
    // Before giving up: traffic changes it had no room for were dropped, KPI values superseded while waiting merged.
    expect(await metric('ioc_gateway_slow_client_total', 'dropped')).toBeGreaterThan(0);
    expect(await metric('ioc_gateway_slow_client_total', 'coalesced')).toBeGreaterThan(0);

    // Once it reads again: what it was sent, in order, then the resync; its connection is still open.
    transport.readyState = 'open';
    transport._poll();
    await waitFor(() => slow.resyncs.length === 1, { what: 'the resync' });
    expect(slow.resyncs).toEqual(['too-slow']);
    const got = slow.eventIds();
    const order = fast.eventIds();
    expect(got.map((id) => order.indexOf(id))).toEqual(
      [...got.map((id) => order.indexOf(id))].sort((a, b) => a - b),
    );
    expect(slow.socket.connected).toBe(true);
    // Subscribing again starts it from a snapshot.
    expect(await slow.subscribe({})).toEqual({ ok: true, start: 'snapshot' });
    fast.close();
    slow.close();
  });
});
