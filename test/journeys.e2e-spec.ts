import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createEvent,
  EventTypes,
  LIVE_NAMESPACE,
  type LiveClientEvents,
  LiveEvents,
  type LiveChange,
  type LiveEventsMessage,
  type LiveServerEvents,
  type LiveSnapshotMessage,
  type LiveStream,
  type LiveSubscribeAck,
  Topics,
} from '@ioc/contracts';
import { loadCityData } from '@ioc/reference-data';
import { apiKeyCli, ServiceProcesses, ServiceWorld, waitFor } from '@ioc/testing';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';

// The city's journeys across every service started as real processes from the built dist/, by `npm start`'s own
// script (scripts/start.mjs --demo), in a world of their own (topic suffix, a schema per service, token keys, free
// ports): what a citizen, an agency, the cameras and the road sensors do over the public interfaces is what an
// operator's wall, a real Socket.IO client, sees, and what the KPI service counts. Short intervals keep it quick;
// every wait is for an outcome. Logs: .run/journeys/<suffix>/ (start.log and one JSON log per service).
const ROOT = path.resolve(__dirname, '..');
const CITY_DATA_DIR = path.join(ROOT, 'data', 'cities', 'hai-phong');
// Inside HP.2025.LE-CHAN, where the ward's agency takes sidewalk encroachments (the shipped routing rules).
const LE_CHAN = { lat: 20.842, lon: 106.66 };
const WARD_AGENCY = 'AG-UBND-P-LE-CHAN';
const REPORTER = { name: 'Phạm Văn Riêng Tư', phone: '+84 987 654 321', email: 'rieng.tu@example.vn' };
const BURST = 12;
const WAIT = { timeoutMs: 60_000, intervalMs: 100 };

/** One change a wall client was pushed. */
type WallChange = LiveChange;

/** The only place that reads the gateway's push format: a message by name into the changes it carries. */
function changesOf(name: string, payload: unknown): WallChange[] {
  return name === LiveEvents.events ? (payload as LiveEventsMessage).changes : [];
}

/** An operator's wall: a real socket.io-client on the gateway's `/live`, keeping every change and snapshot. */
class WallClient {
  readonly changes: WallChange[] = [];
  readonly snapshots: LiveSnapshotMessage[] = [];
  /** Every payload received, to check what reached the wall. */
  readonly raw: string[] = [];

  private constructor(private readonly socket: Socket<LiveServerEvents, LiveClientEvents>) {
    socket.onAny((name: string, payload: unknown) => {
      this.raw.push(JSON.stringify(payload));
      if (name === LiveEvents.snapshot) this.snapshots.push(payload as LiveSnapshotMessage);
      this.changes.push(...changesOf(name, payload));
    });
  }

  static async open(gatewayUrl: string, token: string): Promise<WallClient> {
    const socket: Socket<LiveServerEvents, LiveClientEvents> = io(`${gatewayUrl}${LIVE_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const client = new WallClient(socket);
    const ack: LiveSubscribeAck = await socket.timeout(60_000).emitWithAck(LiveEvents.subscribe, {});
    expect(ack).toMatchObject({ ok: true, start: 'snapshot' });
    return client;
  }

  /** Waits until a pushed change matches, and answers it. */
  sees(what: string, match: (change: WallChange) => boolean): Promise<WallChange> {
    return waitFor(() => this.changes.find(match), { ...WAIT, what: `the wall to see ${what}` });
  }

  of<S extends LiveStream>(stream: S, subject: string): WallChange[] {
    return this.changes.filter((change) => change.stream === stream && change.event.subject === subject);
  }

  close(): void {
    this.socket.close();
  }
}

const world = new ServiceWorld();
let services: ServiceProcesses | undefined;
const walls: WallClient[] = [];
let wall: WallClient;
let operator: string;

const processes = () => {
  if (services === undefined) throw new Error('the services did not start');
  return services;
};
const http = (name: Parameters<ServiceProcesses['url']>[0]) => request(processes().url(name));

/** The city-wide value of a KPI in today's bucket, as the KPI service answers it over REST. */
async function kpiToday(kpi: string): Promise<number | undefined> {
  const answer = await http('kpi')
    .get('/kpis/values')
    .query({ period: 'day', kpi, dimensionKind: 'city' })
    .set('authorization', `Bearer ${operator}`)
    .expect(200);
  return (answer.body.items as { value?: number }[])[0]?.value;
}

/** A CloudEvent in structured form, as an integrator posts it to intake's HTTP ingest. */
function cloudEvent(type: string, subject: string, data: Record<string, unknown>): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/vendors/journeys',
    type,
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}

/** What the journeys left in the city, for the late wall's snapshot. */
const journey = { reportId: '', burstCamera: '', silentCamera: '', jammedSegment: '' };

let ingestKey: string;
const ingest = (events: Record<string, unknown>[]) =>
  http('intake')
    .post('/ingest/events')
    .set('x-api-key', ingestKey)
    .set('content-type', 'application/cloudevents-batch+json')
    .send(JSON.stringify(events));

beforeAll(async () => {
  await world.setUp();
  services = await ServiceProcesses.start(world, {
    logDir: path.join(ROOT, '.run', 'journeys', world.suffix),
    env: {
      CITY_DATA_DIR,
      KPI_PUBLISH_INTERVAL: '200ms',
      INTAKE_SWEEP_INTERVAL: '200ms',
      INTAKE_INCIDENT_UPDATE_INTERVAL: '200ms',
      // Not less: a heartbeat applied later than this after it was sent (a loaded machine) would not count.
      INTAKE_CAMERA_OFFLINE_AFTER: '8s',
      // The simulator runs, idle: its traffic would blur what each journey changes.
      SIMULATOR_ENABLED: 'false',
    },
  });
  operator = await world.token({ subject: 'journeys-operator', roles: ['operator'] });
  const key = await apiKeyCli(
    ['--service', 'intake', '--integrator', 'journeys', '--scope', 'ioc.*'],
    world.schemaOf('intake'),
  );
  expect(key.exitCode).toBe(0);
  ingestKey = key.stdout.trim().split('\n').pop() as string;
  wall = await WallClient.open(services.url('gateway'), operator);
  walls.push(wall);
}, 600_000);

afterAll(async () => {
  for (const client of walls) client.close();
  try {
    await services?.stop();
  } finally {
    await world.tearDown();
  }
}, 120_000);

describe('every service as a process of its own', () => {
  it('runs from dist/ and answers ready, the simulator idle', async () => {
    for (const name of ['reports', 'intake', 'kpi', 'gateway', 'simulator'] as const) {
      await http(name).get('/health/ready').expect(200);
    }
    const simulation = await http('simulator').get('/simulation').expect(200);
    expect(simulation.body.running).toBe(false);
    // The wall page, built by npm run build into dist/, is what the gateway serves at its root.
    await http('gateway')
      .get('/')
      .expect(200)
      .expect('content-type', /^text\/html/);
  });
});

describe("a citizen's report", () => {
  let report: { id: string; trackingCode: string; status: string };
  const before: Record<string, number | undefined> = {};

  beforeAll(async () => {
    before.received = await kpiToday('reports-received');
  });

  it('submitted over REST shows on the wall, routed to its ward, without its reporter', async () => {
    const answer = await http('reports')
      .post('/reports')
      .send({
        categoryCode: 'sidewalk-encroachment',
        description: 'Hàng quán lấn chiếm vỉa hè',
        location: LE_CHAN,
        reporter: REPORTER,
      })
      .expect(201);
    report = answer.body;
    journey.reportId = report.id;
    expect(report.status).toBe('assigned');

    const assigned = await wall.sees('the report assigned', ({ stream, event }) => {
      return stream === 'reports' && event.subject === report.id && event.type === EventTypes.reportAssigned;
    });
    expect(assigned.event.data).toMatchObject({ reportId: report.id, agencyId: WARD_AGENCY });
    expect(wall.of('reports', report.id).map((change) => change.event.type)).toEqual([
      EventTypes.reportSubmitted,
      EventTypes.reportAssigned,
    ]);
    // Neither on the wall nor in any service's log (docs/architecture.md, "Privacy").
    const { logDir } = processes();
    const logs = readdirSync(logDir).map((file) => readFileSync(path.join(logDir, file), 'utf8'));
    for (const text of [wall.raw.join('\n'), ...logs]) {
      for (const value of Object.values(REPORTER)) expect(text).not.toContain(value);
    }
  });

  it('is counted by the KPI service, over REST and on the wall', async () => {
    const expected = (before.received ?? 0) + 1;
    await waitFor(async () => (await kpiToday('reports-received')) === expected, {
      ...WAIT,
      what: `reports-received to reach ${expected}`,
    });
    await wall.sees('reports-received updated', ({ stream, event }) => {
      if (stream !== 'kpi' || event.type !== EventTypes.kpiUpdated) return false;
      const { kpiCode, dimension, period, value } = event.data;
      return (
        kpiCode === 'reports-received' && dimension.kind === 'city' && period === 'day' && value === expected
      );
    });
  });

  it('resolved by its agency updates the wall and the answered share', async () => {
    const agency = await world.token({ subject: 'journeys-ward', roles: ['agency'], agencyId: WARD_AGENCY });
    for (const [action, body] of [
      ['acknowledge', {}],
      ['start', {}],
      ['resolve', { answer: 'Đã giải tỏa vỉa hè' }],
    ] as const) {
      await http('reports')
        .post(`/agency/reports/${report.id}/${action}`)
        .set('authorization', `Bearer ${agency}`)
        .send(body)
        .expect(200);
    }

    const resolved = await wall.sees('the report resolved', ({ stream, event }) => {
      return stream === 'reports' && event.subject === report.id && event.type === EventTypes.reportResolved;
    });
    expect(resolved.event.data).toMatchObject({ status: 'resolved', agencyId: WARD_AGENCY });
    // The only report of this world, answered: the share is whole.
    await waitFor(async () => (await kpiToday('report-answered-share')) === 100, {
      ...WAIT,
      what: 'report-answered-share to reach 100',
    });
    await wall.sees('report-answered-share updated', ({ stream, event }) => {
      if (stream !== 'kpi' || event.type !== EventTypes.kpiUpdated) return false;
      const { kpiCode, dimension, period, value } = event.data;
      return (
        kpiCode === 'report-answered-share' && dimension.kind === 'city' && period === 'day' && value === 100
      );
    });
  });
});

describe('the cameras and the roads', () => {
  let cameras: string[];
  let segment: { id: string; freeFlowKmh: number };

  beforeAll(async () => {
    const city = await loadCityData(CITY_DATA_DIR);
    cameras = city.cameras.map((camera) => camera.id);
    segment = city.roadSegments[0];
  });

  it('a burst of detections from one camera is ONE incident on the wall, counting them all', async () => {
    const camera = cameras[0];
    journey.burstCamera = camera;
    const start = Date.now() - BURST * 1000;
    const detections = Array.from({ length: BURST }, (_, i) =>
      cloudEvent(EventTypes.cameraDetection, camera, {
        cameraId: camera,
        class: 'accident',
        confidence: 0.9,
        observedAt: new Date(start + i * 1000).toISOString(),
      }),
    );
    await ingest(detections).expect(202);

    const counted = await wall.sees(`${camera}'s incident counting ${BURST}`, ({ stream, event }) => {
      return (
        stream === 'incidents' &&
        event.type.startsWith('ioc.incident.') &&
        (event.data as { cameraId?: string; count?: number }).cameraId === camera &&
        (event.data as { count?: number }).count === BURST
      );
    });
    const incidents = new Set(
      wall.changes
        .filter((change) => change.stream === 'incidents')
        .map((change) => change.event.data as { cameraId?: string; incidentId: string })
        .filter((data) => data.cameraId === camera)
        .map((data) => data.incidentId),
    );
    expect([...incidents]).toEqual([(counted.event.data as { incidentId: string }).incidentId]);
    expect(
      wall.changes.filter(
        ({ event }) =>
          event.type === EventTypes.incidentOpened &&
          (event.data as { cameraId?: string }).cameraId === camera,
      ),
    ).toHaveLength(1);
  });

  it('a camera that stops its heartbeats turns offline on the wall', async () => {
    const camera = cameras[1];
    journey.silentCamera = camera;
    await ingest([
      cloudEvent(EventTypes.cameraHeartbeat, camera, {
        cameraId: camera,
        observedAt: new Date().toISOString(),
      }),
    ]).expect(202);
    const status = () =>
      wall.of('cameras', camera).map((change) => (change.event.data as { status: string }).status);
    await waitFor(() => status().includes('online'), { ...WAIT, what: `${camera} online` });
    // Silence from here on: the sweep takes it offline once its heartbeat is older than the setting.
    await waitFor(() => status().lastIndexOf('offline') > status().indexOf('online'), {
      ...WAIT,
      what: `${camera} offline after its silence`,
    });
  });

  it('a jam on a road segment appears on that segment on the wall', async () => {
    const now = Date.now();
    journey.jammedSegment = segment.id;
    // Road sensors publishing straight to Kafka, as integrators with a Kafka client do.
    await world.publish(
      Topics.trafficObservations,
      [2, 1].map((minutesAgo) =>
        createEvent(EventTypes.trafficObservation, {
          source: '/vendors/journeys-sensors',
          subject: segment.id,
          data: {
            segmentId: segment.id,
            speedKmh: segment.freeFlowKmh * 0.1,
            observedAt: new Date(now - minutesAgo * 60_000).toISOString(),
          },
        }),
      ),
    );
    const jam = await wall.sees(`a jam on ${segment.id}`, ({ stream, event }) => {
      return (
        stream === 'traffic' &&
        event.subject === segment.id &&
        (event.data as { level?: string }).level === 'jammed'
      );
    });
    expect(jam.event.data).toMatchObject({ segmentId: segment.id, level: 'jammed' });
  });
});

describe('a wall opened afterwards', () => {
  it('starts from a snapshot holding all of it', async () => {
    const late = await WallClient.open(processes().url('gateway'), operator);
    walls.push(late);
    const snapshot = await waitFor(() => late.snapshots[0], { ...WAIT, what: 'the snapshot' });
    expect(snapshot.reports.find((report) => report.reportId === journey.reportId)).toMatchObject({
      status: 'resolved',
      agencyId: WARD_AGENCY,
    });
    expect(snapshot.incidents.filter((incident) => incident.cameraId === journey.burstCamera)).toEqual([
      expect.objectContaining({ count: BURST }),
    ]);
    expect(snapshot.cameras.find((camera) => camera.cameraId === journey.silentCamera)).toMatchObject({
      status: 'offline',
    });
    expect(snapshot.segments.find((s) => s.segmentId === journey.jammedSegment)).toMatchObject({
      level: 'jammed',
    });
    expect(snapshot.kpis.map((kpi) => kpi.current.kpiCode)).toEqual(
      expect.arrayContaining(['reports-received', 'report-answered-share']),
    );
  });
});
