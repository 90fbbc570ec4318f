import { EventTypes, Topics } from '@ioc/contracts';
import { loadCityData } from '@ioc/reference-data';
import { waitFor } from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CITY_DATA_DIR, heartbeat, IntakeWorld, rows } from './fixtures/intake-harness';

// Heartbeats → camera status with TWO intake instances on one schema and one consumer group, both
// sweeping every 50 ms: each camera goes offline exactly once and comes back once.

describe('intake: camera heartbeats → status, with two instances', () => {
  // 5 s, not less: a heartbeat applied later than that after it was sent (a loaded CI machine) would no
  // longer bring its camera online, and the spec would wait for a change that never comes.
  const world = new IntakeWorld({ INTAKE_CAMERA_OFFLINE_AFTER: '5s', INTAKE_SWEEP_INTERVAL: '50ms' });
  let first: INestApplication;
  let cameraIds: string[];
  const changesOf = (cameraId: string) =>
    rows<{ status: string }>(
      first,
      (s) => `SELECT status FROM ${s}.camera_status_changes WHERE camera_id = $1 ORDER BY seq`,
      [cameraId],
    ).then((found) => found.map((r) => r.status));
  const published = (cameraId: string) =>
    world
      .events('cameraStatusChanged', cameraId)
      .map((e) => (e.type === EventTypes.cameraStatusChanged ? e.data.status : undefined));

  beforeAll(async () => {
    cameraIds = (await loadCityData(CITY_DATA_DIR)).cameras.map((c) => c.id);
    await world.setUp();
    first = await world.start();
    await world.seed(first);
    await world.start();
  });

  afterAll(async () => {
    await world.tearDown();
  });

  it('takes every silent camera offline exactly once and brings it back once', async () => {
    await world.publish(
      Topics.cameraHeartbeats,
      cameraIds.map((id) => heartbeat(id)),
    );
    await waitFor(async () => (await Promise.all(cameraIds.map(changesOf))).every((c) => c.length >= 2), {
      what: 'every camera online then offline',
      timeoutMs: 60_000,
    });
    await world.publish(
      Topics.cameraHeartbeats,
      cameraIds.map((id) => heartbeat(id)),
    );

    for (const id of cameraIds) {
      const changes = await waitFor(async () => {
        const found = await changesOf(id);
        return found.length >= 3 && found;
      });
      expect(changes.slice(0, 3)).toEqual(['online', 'offline', 'online']);
      const events = await waitFor(() => published(id).length >= 3 && published(id));
      expect(events.slice(0, 3)).toEqual(['online', 'offline', 'online']);
    }
  });

  it('does not bring an offline camera back with a heartbeat older than the offline time', async () => {
    const id = cameraIds[0];
    await waitFor(async () => (await changesOf(id)).length === 4, {
      what: 'the camera offline again',
      timeoutMs: 60_000,
    });

    await world.publish(Topics.cameraHeartbeats, [heartbeat(id, new Date(Date.now() - 60_000))]);
    await world.publish(Topics.cameraHeartbeats, [heartbeat(cameraIds[1])]);

    // At least: the sweeper may already have taken that camera offline again (a sixth change).
    await waitFor(async () => (await changesOf(cameraIds[1])).length >= 5, {
      what: 'the later heartbeat applied',
    });
    expect(await changesOf(id)).toEqual(['online', 'offline', 'online', 'offline']);
  });

  it('dead-letters a heartbeat of an unknown camera', async () => {
    await world.publish(Topics.cameraHeartbeats, [heartbeat('CAM-UNKNOWN-1')]);

    const [letter] = await waitFor(
      () => world.deadLetters('INTAKE.UNKNOWN_CAMERA').length > 0 && world.deadLetters(),
    );
    expect(letter.headers['ioc-dlq-source-topic']).toBe(world.topic(Topics.cameraHeartbeats));
  });

  it('reports uptime per camera and unit to operators, and refuses others', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const operator = await world.token({ subject: 'kpi-service', roles: ['operator'] });
    const agency = await world.token({ subject: 'ag', roles: ['agency'], agencyId: 'AG-1' });

    const res = await request(first.getHttpServer())
      .get('/cameras/uptime')
      .query({ from, to })
      .auth(operator, { type: 'bearer' })
      .expect(200);

    expect(res.body.cameras).toHaveLength(cameraIds.length);
    for (const camera of res.body.cameras) {
      expect(camera.onlineMs).toBeGreaterThan(1_000);
      expect(camera.uptime).toBeGreaterThan(0);
      expect(camera.uptime).toBeLessThan(0.01);
    }
    expect(res.body.units.reduce((n: number, u: { cameras: number }) => n + u.cameras, 0)).toBe(
      cameraIds.length,
    );
    await request(first.getHttpServer())
      .get('/cameras/uptime')
      .query({ from, to })
      .auth(agency, { type: 'bearer' })
      .expect(403);
    await request(first.getHttpServer())
      .get('/cameras/uptime')
      .query({ from: to, to: from })
      .auth(operator, { type: 'bearer' })
      .expect(400);
    await request(first.getHttpServer())
      .get('/cameras/uptime')
      .query({ from: "2026'; --", to })
      .auth(operator, { type: 'bearer' })
      .expect(400);
  });
});
