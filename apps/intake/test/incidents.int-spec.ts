import { EventTypes, type KnownIocEvent, Topics } from '@ioc/contracts';
import { type CityData, loadCityData } from '@ioc/reference-data';
import { waitFor } from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CITY_DATA_DIR, detection, heartbeat, IntakeWorld, rows } from './fixtures/intake-harness';

// Detections → incidents against the real Kafka and Postgres: correlation, the confidence floor, event
// time (out of order, late), unknown cameras and bad records → DLQ, the rate-limited update, quiet-period
// clearing, and the operator and agency REST actions.

const QUIET_MS = 60_000;

describe('intake: camera detections → incidents', () => {
  const world = new IntakeWorld({
    INTAKE_INCIDENT_QUIET_PERIOD: '60s',
    INTAKE_INCIDENT_UPDATE_INTERVAL: '1h',
    INTAKE_INCIDENT_CORRELATION_WINDOW: '5m',
    INTAKE_DETECTION_CONFIDENCE_FLOOR: '0.5',
    INTAKE_EVENT_LATE_GRACE: '10m',
  });
  let app: INestApplication;
  let city: CityData;
  let cameraIds: string[];
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

  interface IncidentRow {
    id: string;
    subject_id: string;
    class: string;
    status: string;
    count: number;
    first_seen_at: Date;
    last_seen_at: Date;
    peak_confidence: number;
    update_pending: boolean;
    cleared_reason: string | null;
  }
  const incidentsOf = (cameraId: string) =>
    rows<IncidentRow>(app, (s) => `SELECT * FROM ${s}.incidents WHERE subject_id = $1 ORDER BY opened_at`, [
      cameraId,
    ]);

  beforeAll(async () => {
    city = await loadCityData(CITY_DATA_DIR);
    cameraIds = city.cameras.map((c) => c.id);
    await world.setUp();
    app = await world.start();
    await world.seed(app);
  });

  afterAll(async () => {
    await world.tearDown();
  });

  it('seeds every camera, road segment and agency of the city, and seeding again changes nothing', async () => {
    await world.seed(app);

    const [counts] = await rows<{ cameras: string; segments: string; agencies: string }>(
      app,
      (s) =>
        `SELECT (SELECT count(*) FROM ${s}.cameras WHERE active) AS cameras,
                (SELECT count(*) FROM ${s}.road_segments WHERE active) AS segments,
                (SELECT count(*) FROM ${s}.agencies WHERE active) AS agencies`,
    );
    expect(Number(counts.cameras)).toBe(city.cameras.length);
    expect(Number(counts.segments)).toBe(city.roadSegments.length);
    expect(Number(counts.agencies)).toBe(city.agencies.length);
  });

  it('merges N detections of one camera and class into one incident with count N, opened once', async () => {
    const cameraId = cameraIds[0];
    const n = 25;
    const times = Array.from({ length: n }, (_, i) => ago((n - i) * 1000));
    const events = times.map((observedAt, i) =>
      detection({ cameraId, class: 'accident', confidence: 0.6 + i / 100, observedAt }),
    );

    await world.publish(Topics.cameraDetections, events);

    const [incident] = await waitFor(
      async () => {
        const found = await incidentsOf(cameraId);
        return found.length === 1 && found[0].count === n && found;
      },
      { what: `one incident with count ${n}` },
    );
    expect(incident).toMatchObject({ status: 'open', class: 'accident', peak_confidence: 0.84 });
    expect(incident.first_seen_at.toISOString()).toBe(times[0]);
    const opened = await waitFor(
      () =>
        world.events('incidentOpened', incident.id).length > 0 && world.events('incidentOpened', incident.id),
      {
        what: 'incident.opened on ioc.incidents.events',
      },
    );
    expect(opened).toHaveLength(1);
    expect(opened[0].data).toMatchObject({ incidentId: incident.id, cameraId, source: 'camera' });
    // INTAKE_INCIDENT_UPDATE_INTERVAL is 1h: merged detections are withheld for the sweeper, not one event each.
    expect(world.events('incidentUpdated', incident.id)).toHaveLength(0);
  });

  it('applies a redelivered event id once', async () => {
    const cameraId = cameraIds[1];
    const event = detection({ cameraId, class: 'flooding', observedAt: ago(1000) });

    await world.publish(Topics.cameraDetections, [event, event]);
    await world.publish(Topics.cameraDetections, [
      detection({ cameraId, class: 'flooding', observedAt: ago(500) }),
    ]);

    const [incident] = await waitFor(async () => {
      const found = await incidentsOf(cameraId);
      return found[0]?.count === 2 && found;
    });
    expect(incident.count).toBe(2);
  });

  it('counts detections below the confidence floor but opens nothing', async () => {
    const cameraId = cameraIds[2];

    await world.publish(
      Topics.cameraDetections,
      Array.from({ length: 3 }, () =>
        detection({ cameraId, class: 'crowd', confidence: 0.2, observedAt: ago(1000) }),
      ),
    );

    const [tally] = await waitFor(() =>
      rows<{ total: string; below_floor: string }>(
        app,
        (s) => `SELECT total, below_floor FROM ${s}.detection_tallies WHERE camera_id = $1 AND total >= 3`,
        [cameraId],
      ).then((found) => found.length > 0 && found),
    );
    expect(tally).toEqual({ total: '3', below_floor: '3' });
    expect(await incidentsOf(cameraId)).toEqual([]);
  });

  it('orders by event time: out-of-order detections give the true span; late ones change nothing', async () => {
    const cameraId = cameraIds[3];
    const times = [30_000, 90_000, 10_000, 60_000].map((ms) => ago(ms));
    const tooLate = ago(11 * 60_000);

    await world.publish(Topics.cameraDetections, [
      ...times.map((observedAt) => detection({ cameraId, class: 'wrong-way', observedAt })),
      detection({ cameraId, class: 'wrong-way', observedAt: tooLate }),
    ]);

    const [incident] = await waitFor(async () => {
      const found = await incidentsOf(cameraId);
      const [tally] = await rows<{ total: string }>(
        app,
        (s) => `SELECT total FROM ${s}.detection_tallies WHERE camera_id = $1`,
        [cameraId],
      );
      return tally?.total === '5' && found;
    });
    expect(incident.count).toBe(4);
    expect(incident.first_seen_at.toISOString()).toBe(times[1]);
    expect(incident.last_seen_at.toISOString()).toBe(times[2]);
  });

  it('sends unknown cameras, undecodable, invalid, misplaced and future-dated events to the DLQ and moves on', async () => {
    const cameraId = cameraIds[4];

    await world.publish(Topics.cameraDetections, [
      detection({ cameraId: 'CAM-DOES-NOT-EXIST', observedAt: ago(1000) }),
      heartbeat(cameraId),
      detection({
        cameraId,
        class: 'fire-smoke',
        observedAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    ]);
    await world.publishRaw(Topics.cameraDetections, [
      { key: cameraId, value: 'not a cloud event' },
      {
        key: cameraId,
        value: JSON.stringify({
          ...detection({ cameraId, class: 'fire-smoke' }),
          datacontenttype: 'application/json',
          data: { cameraId, class: 'fire-smoke', confidence: 7, observedAt: ago(1000) },
        }),
        headers: { 'content-type': 'application/cloudevents+json' },
      },
    ]);
    await world.publish(Topics.cameraDetections, [
      detection({ cameraId, class: 'fire-smoke', observedAt: ago(1000) }),
    ]);

    await waitFor(() => world.deadLetters('INTAKE.UNKNOWN_CAMERA').length === 1, {
      what: 'unknown camera in DLQ',
    });
    await waitFor(() => world.deadLetters('INTAKE.FUTURE_EVENT_TIME').length === 1, {
      what: 'future event in DLQ',
    });
    await waitFor(() => world.deadLetters().length >= 5, { what: 'the bad records in the DLQ' });
    const [incident] = await waitFor(async () => {
      const found = await incidentsOf(cameraId);
      return found.length === 1 && found;
    });
    expect(incident.count).toBe(1);
    expect(world.deadLetters('INTAKE.UNKNOWN_CAMERA')[0].headers).toMatchObject({
      'ioc-dlq-source-topic': world.topic(Topics.cameraDetections),
      'ioc-dlq-consumer': 'intake.camera-detections',
    });
  });

  it('clears an incident without new detections for the quiet period (expired), once', async () => {
    const cameraId = cameraIds[5];
    const lastSeen = ago(QUIET_MS + 1000);

    await world.publish(Topics.cameraDetections, [
      detection({ cameraId, class: 'illegal-parking', observedAt: lastSeen }),
    ]);

    const [incident] = await waitFor(async () => {
      const found = await incidentsOf(cameraId);
      return found[0]?.status === 'cleared' && found;
    });
    expect(incident.cleared_reason).toBe('expired');
    const cleared = await waitFor(
      () =>
        world.events('incidentCleared', incident.id).length > 0 &&
        world.events('incidentCleared', incident.id),
    );
    expect(cleared).toHaveLength(1);
    expect(cleared[0].data).toMatchObject({
      status: 'cleared',
      clearedReason: 'expired',
      occurredAt: new Date(Date.parse(lastSeen) + QUIET_MS).toISOString(),
    });
  });

  describe('REST', () => {
    let incidentId: string;
    let agencyId: string;
    const http = () => request(app.getHttpServer());
    const operator = () => world.token({ subject: 'op-1', roles: ['operator'] });
    const agency = (id: string) => world.token({ subject: `ag-${id}`, roles: ['agency'], agencyId: id });

    beforeAll(async () => {
      agencyId = city.agencies[0].id;
      const cameraId = cameraIds[6];
      await world.publish(Topics.cameraDetections, [
        detection({ cameraId, class: 'crowd', observedAt: ago(1000) }),
      ]);
      [{ id: incidentId }] = await waitFor(async () => {
        const found = await incidentsOf(cameraId);
        return found.length === 1 && found;
      });
    });

    it('refuses callers without a token (401) or without a role that may act (403)', async () => {
      await http().get('/incidents').expect(401);
      const citizen = await world.token({ subject: 'c-1', roles: ['citizen'] });
      const res = await http().post(`/incidents/${incidentId}/acknowledge`).auth(citizen, { type: 'bearer' });
      expect(res.status).toBe(403);
      const own = await agency(agencyId);
      await http()
        .post(`/incidents/${incidentId}/assign`)
        .auth(own, { type: 'bearer' })
        .send({ agencyId })
        .expect(403);
    });

    it('hides unassigned incidents from agencies exactly like missing ones', async () => {
      const token = await agency(agencyId);
      const foreign = await http().get(`/incidents/${incidentId}`).auth(token, { type: 'bearer' });
      const missing = await http().get('/incidents/no-such-incident').auth(token, { type: 'bearer' });
      const list = await http().get('/incidents').auth(token, { type: 'bearer' }).expect(200);

      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe(missing.body.code);
      expect(list.body.items).toEqual([]);
    });

    it('lets an operator acknowledge and assign, and the agency then see, acknowledge and clear it', async () => {
      const op = await operator();
      const ack = await http()
        .post(`/incidents/${incidentId}/acknowledge`)
        .auth(op, { type: 'bearer' })
        .expect(200);
      expect(ack.body).toMatchObject({ id: incidentId, status: 'acknowledged' });
      await http().post(`/incidents/${incidentId}/acknowledge`).auth(op, { type: 'bearer' }).expect(409);

      const assigned = await http()
        .post(`/incidents/${incidentId}/assign`)
        .auth(op, { type: 'bearer' })
        .send({ agencyId })
        .expect(200);
      expect(assigned.body).toMatchObject({ status: 'assigned', agencyId });

      const token = await agency(agencyId);
      const other = await agency(`${agencyId}-OTHER`);
      const list = await http().get('/incidents').auth(token, { type: 'bearer' }).expect(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([incidentId]);
      await http()
        .post(`/incidents/${incidentId}/clear`)
        .auth(other, { type: 'bearer' })
        .send({ reason: 'resolved' })
        .expect(404);
      await http().post(`/incidents/${incidentId}/acknowledge`).auth(token, { type: 'bearer' }).expect(200);
      const cleared = await http()
        .post(`/incidents/${incidentId}/clear`)
        .auth(token, { type: 'bearer' })
        .send({ reason: 'resolved' })
        .expect(200);
      expect(cleared.body).toMatchObject({ status: 'cleared', clearedReason: 'resolved' });
      await http()
        .post(`/incidents/${incidentId}/clear`)
        .auth(op, { type: 'bearer' })
        .send({ reason: 'resolved' })
        .expect(409);

      const announced = await waitFor(() => {
        const types = world.seen.filter((r) => r.key === incidentId).map((r) => r.event?.type);
        return types.length >= 5 && types;
      });
      expect(announced).toEqual([
        EventTypes.incidentOpened,
        EventTypes.incidentAcknowledged,
        EventTypes.incidentAssigned,
        EventTypes.incidentAcknowledged,
        EventTypes.incidentCleared,
      ]);
    });

    it.each([
      ['a missing body', undefined],
      ['an unknown reason', { reason: 'because' }],
      ['an extra property', { reason: 'resolved', note: 'x' }],
    ])('answers 400 VALIDATION.FAILED to a clear with %s', async (_, body) => {
      const res = await http()
        .post(`/incidents/${incidentId}/clear`)
        .auth(await operator(), { type: 'bearer' })
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION.FAILED');
    });

    it('refuses to assign to an agency the city does not have', async () => {
      const res = await http()
        .post(`/incidents/${incidentId}/assign`)
        .auth(await operator(), { type: 'bearer' })
        .send({ agencyId: 'AG-NOT-IN-THIS-CITY' });

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'INCIDENT.UNKNOWN_AGENCY' });
    });

    it.each([["'; DROP TABLE incidents; --"], ['<script>alert(1)</script>'], ['x'.repeat(65)]])(
      'refuses the hostile agency id %j',
      async (hostile) => {
        const res = await http()
          .post(`/incidents/${incidentId}/assign`)
          .auth(await operator(), { type: 'bearer' })
          .send({ agencyId: hostile });
        expect(res.status).toBe(400);
      },
    );

    it('treats a SQL-looking incident id as inert (404) and rejects a forged cursor and a bad limit', async () => {
      const op = await operator();
      await http()
        .get(`/incidents/${encodeURIComponent("1' OR '1'='1")}`)
        .auth(op, { type: 'bearer' })
        .expect(404);
      const cursor = await http().get('/incidents?cursor=%27%3B--').auth(op, { type: 'bearer' });
      expect(cursor.status).toBe(400);
      await http().get('/incidents?limit=100000').auth(op, { type: 'bearer' }).expect(400);
    });

    it('pages through incidents with a cursor', async () => {
      const op = await operator();
      const first = await http().get('/incidents?limit=2').auth(op, { type: 'bearer' }).expect(200);
      expect(first.body.items).toHaveLength(2);
      const second = await http()
        .get(`/incidents?limit=2&cursor=${first.body.nextCursor}`)
        .auth(op, { type: 'bearer' })
        .expect(200);
      const ids = [...first.body.items, ...second.body.items].map((i: { id: string }) => i.id);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });

  it('emits only events its contract accepts', () => {
    const all = world.seen.filter((r) => r.topic === world.topic(Topics.incidentsEvents));
    expect(all.every((r): r is typeof r & { event: KnownIocEvent } => r.event !== undefined)).toBe(true);
  });
});
