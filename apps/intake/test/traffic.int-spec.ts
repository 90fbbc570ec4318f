import { EventTypes, Topics } from '@ioc/contracts';
import { loadCityData, type RoadSegment } from '@ioc/reference-data';
import { waitFor } from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CITY_DATA_DIR, IntakeWorld, observation, rows } from './fixtures/intake-harness';

// Traffic observations → congestion levels (hysteresis, event time) and jam incidents.

describe('intake: traffic observations → congestion', () => {
  const world = new IntakeWorld({
    INTAKE_TRAFFIC_SLOW_RATIO: '0.7',
    INTAKE_TRAFFIC_CONGESTED_RATIO: '0.45',
    INTAKE_TRAFFIC_JAMMED_RATIO: '0.2',
    INTAKE_TRAFFIC_HYSTERESIS: '0.05',
    INTAKE_TRAFFIC_JAM_INCIDENT_AFTER: '2m',
    INTAKE_INCIDENT_QUIET_PERIOD: '1h',
  });
  let app: INestApplication;
  let segments: readonly RoadSegment[];
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  const levelsOf = (segmentId: string) =>
    world
      .events('trafficCongestionChanged', segmentId)
      .map((e) => (e.type === EventTypes.trafficCongestionChanged ? e.data.level : undefined));
  const trafficIncidents = (segmentId: string) =>
    rows<{ id: string; status: string; count: number; cleared_reason: string | null }>(
      app,
      (s) =>
        `SELECT id, status, count, cleared_reason FROM ${s}.incidents WHERE source = 'traffic' AND subject_id = $1`,
      [segmentId],
    );

  beforeAll(async () => {
    segments = (await loadCityData(CITY_DATA_DIR)).roadSegments;
    await world.setUp();
    app = await world.start();
    await world.seed(app);
  });

  afterAll(async () => {
    await world.tearDown();
  });

  it('changes level with hysteresis: a speed hovering at a threshold does not flap', async () => {
    const segment = segments[0];
    const speed = (ratio: number) => ratio * segment.freeFlowKmh;
    // free, slow (< 0.7), then around 0.7 without clearing 0.75, then free (>= 0.75)
    const ratios = [0.9, 0.68, 0.72, 0.69, 0.73, 0.71, 0.8];

    await world.publish(
      Topics.trafficObservations,
      ratios.map((r, i) => observation(segment.id, speed(r), minutesAgo(10 - i))),
    );

    await waitFor(async () => {
      const [row] = await rows<{ observations: string }>(
        app,
        (s) => `SELECT observations FROM ${s}.road_segments WHERE id = $1`,
        [segment.id],
      );
      return row.observations === String(ratios.length);
    });
    const levels = await waitFor(() => levelsOf(segment.id).length >= 3 && levelsOf(segment.id));
    expect(levels).toEqual(['free', 'slow', 'free']);
  });

  it('judges by event time: an observation older than the segment’s latest changes nothing', async () => {
    const segment = segments[1];

    await world.publish(Topics.trafficObservations, [
      observation(segment.id, segment.freeFlowKmh * 0.9, minutesAgo(1)),
      observation(segment.id, segment.freeFlowKmh * 0.1, minutesAgo(5)),
    ]);

    await waitFor(async () => {
      const [row] = await rows<{ observations: string; level: string }>(
        app,
        (s) => `SELECT observations, level FROM ${s}.road_segments WHERE id = $1`,
        [segment.id],
      );
      return row.observations === '2' && row;
    });
    const [row] = await rows<{ level: string }>(
      app,
      (s) => `SELECT level FROM ${s}.road_segments WHERE id = $1`,
      [segment.id],
    );
    expect(row.level).toBe('free');
  });

  it('opens an incident for a jam lasting longer than the configured time and clears it when the jam ends', async () => {
    const segment = segments[2];
    const jammed = segment.freeFlowKmh * 0.1;

    await world.publish(Topics.trafficObservations, [
      observation(segment.id, jammed, minutesAgo(10)),
      observation(segment.id, jammed, minutesAgo(9)),
    ]);
    await waitFor(() => levelsOf(segment.id).includes('jammed'));
    expect(await trafficIncidents(segment.id)).toEqual([]);

    await world.publish(Topics.trafficObservations, [
      observation(segment.id, jammed, minutesAgo(7)),
      observation(segment.id, jammed, minutesAgo(6)),
    ]);
    const [opened] = await waitFor(async () => {
      const found = await trafficIncidents(segment.id);
      return found[0]?.count === 2 && found;
    });
    expect(opened.status).toBe('open');

    await world.publish(Topics.trafficObservations, [
      observation(segment.id, segment.freeFlowKmh, minutesAgo(5)),
    ]);

    const [cleared] = await waitFor(async () => {
      const found = await trafficIncidents(segment.id);
      return found[0]?.status === 'cleared' && found;
    });
    expect(cleared).toMatchObject({ id: opened.id, cleared_reason: 'resolved' });
    await waitFor(() => world.events('incidentCleared', opened.id).length === 1);
    expect(world.events('incidentOpened', opened.id)[0].data).toMatchObject({
      source: 'traffic',
      segmentId: segment.id,
      class: 'congestion',
    });
  });

  it('dead-letters an observation of an unknown segment', async () => {
    await world.publish(Topics.trafficObservations, [observation('RS-NOWHERE', 10, minutesAgo(1))]);

    await waitFor(() => world.deadLetters('INTAKE.UNKNOWN_SEGMENT').length === 1);
  });

  it('lists segment levels to operators', async () => {
    const token = await world.token({ subject: 'op', roles: ['operator'] });

    const res = await request(app.getHttpServer())
      .get('/traffic/segments')
      .auth(token, { type: 'bearer' })
      .expect(200);

    expect(res.body).toHaveLength(segments.length);
    expect(res.body.find((s: { id: string }) => s.id === segments[0].id)).toMatchObject({ level: 'free' });
  });
});
