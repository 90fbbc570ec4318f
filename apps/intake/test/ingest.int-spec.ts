import { ApiKeyService } from '@ioc/auth';
import { type EventType, EventTypes, type TopicName, Topics } from '@ioc/contracts';
import { ServiceWorld, type TopicReader, type TopicRecord } from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { sampleData } from '../../../libs/contracts/test/event-samples';
import { intakeService } from '../src/bootstrap';

// HTTP ingest end to end: the intake app in-process against the real Kafka and Postgres. A 202 is checked by
// reading the event back from the (suffixed) topic: 202 means the broker acknowledged it.
const world = new ServiceWorld();
const BURST = 40;
const MAX_BODY_BYTES = 64 * 1024;
const MAX_BATCH = 20;
const HOSTILE = `<script>alert("x")</script>'; DROP TABLE api_keys; --`;

let app: INestApplication;
let reader: TopicReader;
let apiKeys: ApiKeyService;
let key: string;

const topic = (base: TopicName) => world.topic(base);
const http = () => request(app.getHttpServer());
const post = (apiKey = key) => http().post('/ingest/events').set('X-API-Key', apiKey);

function structured(type: EventType, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const data = sampleData(type);
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/vendors/acme-vision',
    type,
    subject: String(data.cameraId ?? data.segmentId ?? 'subject-1'),
    time: '2025-03-01T02:00:00Z',
    datacontenttype: 'application/json',
    data,
    ...overrides,
  };
}

function binaryHeaders(event: Record<string, unknown>): Record<string, string> {
  return {
    'content-type': 'application/json',
    'ce-specversion': '1.0',
    'ce-id': String(event.id),
    'ce-source': String(event.source),
    'ce-type': String(event.type),
    'ce-subject': String(event.subject),
    'ce-time': String(event.time),
  };
}

const byId = (id: string) => (record: TopicRecord) => record.headers.ce_id === id;

beforeAll(async () => {
  await world.setUp();
  app = await world.boot(intakeService, {
    INTAKE_INGEST_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    INTAKE_INGEST_MAX_BATCH_EVENTS: String(MAX_BATCH),
    INTAKE_INGEST_RATE_LIMIT_PER_SECOND: '1',
    INTAKE_INGEST_RATE_LIMIT_BURST: String(BURST),
  });
  apiKeys = app.get(ApiKeyService);
  key = (await apiKeys.create('vendor-acme', ['ioc.*'])).plaintext;
  reader = await world.read([
    Topics.cameraDetections,
    Topics.cameraHeartbeats,
    Topics.trafficObservations,
    Topics.kpiObservations,
  ]);
});

afterAll(() => world.tearDown());

describe('CloudEvents HTTP ingest: accepted events are in Kafka', () => {
  it('binary mode: ce-* headers and the data as application/json', async () => {
    const event = structured(EventTypes.cameraDetection);
    const response = await post()
      .set(binaryHeaders(event))
      .send(event.data as object);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ accepted: [{ id: event.id, topic: Topics.cameraDetections }] });

    const [record] = await reader.waitFor(topic(Topics.cameraDetections), byId(String(event.id)));
    expect(record.key).toBe(event.subject);
    expect(record.headers).toMatchObject({ ce_type: EventTypes.cameraDetection, ce_source: event.source });
    expect(JSON.parse(String(record.value))).toEqual(event.data);
  });

  it('binary mode: percent-encoded header values are decoded (HTTP binding 3.1.3.2)', async () => {
    const event = structured(EventTypes.cameraHeartbeat, { subject: 'cam-Đông-1' });
    const headers = { ...binaryHeaders(event), 'ce-subject': encodeURIComponent('cam-Đông-1') };
    await post()
      .set(headers)
      .send(event.data as object)
      .expect(202);

    const [record] = await reader.waitFor(topic(Topics.cameraHeartbeats), byId(String(event.id)));
    expect(record.key).toBe('cam-Đông-1');
  });

  it('structured mode: one event as application/cloudevents+json', async () => {
    const event = structured(EventTypes.trafficObservation);
    const response = await post()
      .set('content-type', 'application/cloudevents+json; charset=utf-8')
      .send(JSON.stringify(event));
    expect(response.status).toBe(202);

    const [record] = await reader.waitFor(topic(Topics.trafficObservations), byId(String(event.id)));
    expect(record.key).toBe(event.subject);
    expect(JSON.parse(String(record.value))).toEqual(event.data);
  });

  it('batch mode: each event goes to the topic of its type', async () => {
    const events = [
      structured(EventTypes.cameraDetection),
      structured(EventTypes.cameraHeartbeat),
      structured(EventTypes.trafficObservation),
      structured(EventTypes.kpiObservation, { subject: 'public-services.online-share:city:city-1' }),
    ];
    const response = await post()
      .set('content-type', 'application/cloudevents-batch+json')
      .send(JSON.stringify(events));
    expect(response.status).toBe(202);
    expect(response.body.accepted).toEqual([
      { id: events[0].id, topic: Topics.cameraDetections },
      { id: events[1].id, topic: Topics.cameraHeartbeats },
      { id: events[2].id, topic: Topics.trafficObservations },
      { id: events[3].id, topic: Topics.kpiObservations },
    ]);
    for (const [index, base] of response.body.accepted.entries()) {
      const [record] = await reader.waitFor(topic(base.topic), byId(String(events[index].id)));
      expect(record.key).toBe(events[index].subject);
    }
  });

  it('a report submission with contact data reaches its own topic, the only one allowed to carry it', async () => {
    const submissions = await world.read([Topics.reportsSubmissions]);
    const event = structured(EventTypes.reportSubmission, { subject: 'hotline:HL-77812' });
    await post().set('content-type', 'application/cloudevents+json').send(JSON.stringify(event)).expect(202);
    const [record] = await submissions.waitFor(topic(Topics.reportsSubmissions), byId(String(event.id)));
    expect(JSON.parse(String(record.value)).reporter).toEqual((event.data as { reporter: unknown }).reporter);
  });

  it('stores hostile strings as inert data and returns them byte for byte', async () => {
    const data = {
      ...sampleData(EventTypes.cameraDetection),
      snapshotRef: HOSTILE,
      attributes: { note: HOSTILE },
    };
    const event = structured(EventTypes.cameraDetection, { data, source: '/vendors/%3Cscript%3E' });
    await post().set('content-type', 'application/cloudevents+json').send(JSON.stringify(event)).expect(202);

    const [record] = await reader.waitFor(topic(Topics.cameraDetections), byId(String(event.id)));
    expect(JSON.parse(String(record.value))).toEqual(data);
    // The API keys table is still there: the string was never interpreted.
    await post()
      .set('content-type', 'application/cloudevents+json')
      .send(JSON.stringify(structured(EventTypes.cameraHeartbeat)))
      .expect(202);
  });

  it('accepts a repeated event id again: the consumers deduplicate by id', async () => {
    const event = structured(EventTypes.cameraHeartbeat);
    for (let i = 0; i < 2; i++) {
      await post()
        .set('content-type', 'application/cloudevents+json')
        .send(JSON.stringify(event))
        .expect(202);
    }
    const records = await reader.waitFor(topic(Topics.cameraHeartbeats), byId(String(event.id)), {
      count: 2,
    });
    expect(records).toHaveLength(2);
  });
});

describe('CloudEvents HTTP ingest: refusals', () => {
  it.each([
    ['no ce-id header', (h: Record<string, string>) => ({ ...h, 'ce-id': '' }), 'envelope.invalid', "'id'"],
    [
      'an unknown spec version',
      (h: Record<string, string>) => ({ ...h, 'ce-specversion': '0.3' }),
      'envelope.invalid',
      '/specversion',
    ],
    [
      'a time that is no date',
      (h: Record<string, string>) => ({ ...h, 'ce-time': 'yesterday' }),
      'envelope.invalid',
      '/time',
    ],
    [
      'bad percent-encoding',
      (h: Record<string, string>) => ({ ...h, 'ce-subject': 'cam-%E0%A4%A' }),
      'envelope.invalid',
      'ce-subject',
    ],
  ])('binary mode: 400 for %s', async (_name, change, reason, mention) => {
    const event = structured(EventTypes.cameraDetection);
    const headers = Object.fromEntries(
      Object.entries(change(binaryHeaders(event))).filter(([, v]) => v !== ''),
    );
    const response = await post()
      .set(headers)
      .send(event.data as object);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('INGEST.INVALID_EVENTS');
    expect(response.body.details.events).toEqual([expect.objectContaining({ index: 0, reason })]);
    expect(response.body.details.events[0].detail).toContain(mention);
  });

  it.each([
    [
      'data breaking the schema',
      { data: { ...sampleData(EventTypes.cameraDetection), confidence: 2 } },
      'schema.invalid',
    ],
    ['an unknown event type', { type: 'com.example.unknown.v1' }, 'type.unknown'],
    [
      'a type only a service publishes',
      { type: EventTypes.incidentOpened, data: sampleData(EventTypes.incidentOpened) },
      'type.not_ingestible',
    ],
    ['a subject with spaces', { subject: 'cam 1' }, 'envelope.invalid'],
    ['base64 data', { data: undefined, data_base64: 'e30=' }, 'envelope.invalid'],
  ])('structured mode: 400 for %s', async (_name, overrides, reason) => {
    const response = await post()
      .set('content-type', 'application/cloudevents+json')
      .send(JSON.stringify(structured(EventTypes.cameraDetection, overrides)));
    expect(response.status).toBe(400);
    expect(response.body.details.events).toEqual([expect.objectContaining({ index: 0, reason })]);
  });

  it('never echoes the values it refuses, not even a reporter phone', async () => {
    const data = {
      ...sampleData(EventTypes.reportSubmission),
      reporter: { name: HOSTILE, phone: '+84 912 345 678', extra: 1 },
    };
    const response = await post()
      .set('content-type', 'application/cloudevents+json')
      .send(
        JSON.stringify(
          structured(EventTypes.reportSubmission, { id: `${HOSTILE}`, subject: 'hotline:X', data }),
        ),
      );
    expect(response.status).toBe(400);
    expect(response.text).not.toContain('912');
    expect(response.text).not.toContain('DROP TABLE');
  });

  it('a batch with one bad event is refused whole, naming the bad one, and publishes nothing', async () => {
    const subject = `cam-batch-${randomUUID()}`;
    const good = structured(EventTypes.cameraHeartbeat, {
      subject,
      data: { ...sampleData(EventTypes.cameraHeartbeat), cameraId: subject },
    });
    const bad = structured(EventTypes.cameraHeartbeat, { data: { observedAt: 'not a time' } });
    const response = await post()
      .set('content-type', 'application/cloudevents-batch+json')
      .send(JSON.stringify([good, bad]));
    expect(response.status).toBe(400);
    expect(response.body.details.events).toEqual([
      expect.objectContaining({ index: 1, reason: 'schema.invalid' }),
    ]);

    // A later event with the same key lands on the same partition after anything the batch could have written.
    const marker = structured(EventTypes.cameraHeartbeat, { subject, data: good.data });
    await post().set('content-type', 'application/cloudevents+json').send(JSON.stringify(marker)).expect(202);
    await reader.waitFor(topic(Topics.cameraHeartbeats), byId(String(marker.id)));
    expect(reader.matching(topic(Topics.cameraHeartbeats), byId(String(good.id)))).toEqual([]);
  });

  it.each([
    ['a batch that is not an array', '{"specversion":"1.0"}'],
    ['an empty batch', '[]'],
    ['a batch of non-objects', '[1, "two"]'],
  ])('batch mode: 400 for %s', async (_name, body) => {
    const response = await post().set('content-type', 'application/cloudevents-batch+json').send(body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('INGEST.INVALID_EVENTS');
  });

  it('400 for a body that is not JSON', async () => {
    const response = await post().set('content-type', 'application/cloudevents+json').send('{"specversion":');
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('Request body is not valid JSON');
  });

  it.each([
    'text/plain',
    'application/xml',
    'application/cloudevents+xml',
    'multipart/form-data; boundary=x',
  ])('415 for Content-Type %s', async (contentType) => {
    const response = await post().set('content-type', contentType).send('x');
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('HTTP.UNSUPPORTED_MEDIA_TYPE');
  });

  it('413 for a structured body over INTAKE_INGEST_MAX_BODY_BYTES', async () => {
    const event = structured(EventTypes.cameraDetection, { padding: 'x'.repeat(MAX_BODY_BYTES) });
    const response = await post()
      .set('content-type', 'application/cloudevents+json')
      .send(JSON.stringify(event));
    expect(response.status).toBe(413);
  });

  it('413 for a binary body over the service JSON limit', async () => {
    const event = structured(EventTypes.cameraDetection);
    const response = await post()
      .set(binaryHeaders(event))
      .send(JSON.stringify({ ...(event.data as object), padding: 'x'.repeat(300 * 1024) }));
    expect(response.status).toBe(413);
  });

  it('413 for a batch of more than INTAKE_INGEST_MAX_BATCH_EVENTS events', async () => {
    const events = Array.from({ length: MAX_BATCH + 1 }, () => structured(EventTypes.cameraHeartbeat));
    const response = await post()
      .set('content-type', 'application/cloudevents-batch+json')
      .send(JSON.stringify(events));
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('INGEST.TOO_MANY_EVENTS');
  });
});

describe('CloudEvents HTTP ingest: who may publish', () => {
  const send = (req: request.Test) =>
    req
      .set('content-type', 'application/cloudevents+json')
      .send(JSON.stringify(structured(EventTypes.cameraHeartbeat)));

  it('401 without an API key', async () => {
    const response = await send(http().post('/ingest/events'));
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('AUTH.MISSING_CREDENTIALS');
  });

  it.each([
    ['a malformed key', 'not-a-key'],
    ['an unknown key', `ioc_0123456789abcdef_${'A'.repeat(43)}`],
    ['a hostile key', HOSTILE],
  ])('401 for %s', async (_name, presented) => {
    const response = await send(post(presented));
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('AUTH.INVALID_API_KEY');
  });

  it('401 for a revoked key', async () => {
    const created = await apiKeys.create('vendor-gone', ['ioc.*']);
    await send(post(created.plaintext)).expect(202);
    await apiKeys.revoke(created.id);
    const response = await send(post(created.plaintext));
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('AUTH.INVALID_API_KEY');
  });

  it('401 for a bearer token instead of an API key', async () => {
    const response = await send(http().post('/ingest/events').set('authorization', 'Bearer abc.def.ghi'));
    expect(response.status).toBe(401);
  });

  it("403 for a topic outside the key's scopes, and nothing of the request is published", async () => {
    const traffic = await apiKeys.create('vendor-traffic', [Topics.trafficObservations]);
    const observation = structured(EventTypes.trafficObservation);
    const heartbeat = structured(EventTypes.cameraHeartbeat);
    const response = await post(traffic.plaintext)
      .set('content-type', 'application/cloudevents-batch+json')
      .send(JSON.stringify([observation, heartbeat]));
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({
      code: 'INGEST.TOPIC_NOT_ALLOWED',
      details: { topics: [Topics.cameraHeartbeats] },
    });
    await post(traffic.plaintext)
      .set('content-type', 'application/cloudevents+json')
      .send(JSON.stringify(observation))
      .expect(202);
  });

  it('429 with Retry-After once a key has used up its burst', async () => {
    const limited = (await apiKeys.create('vendor-chatty', ['ioc.*'])).plaintext;
    const statuses: number[] = [];
    let refused: request.Response | undefined;
    // The bucket refills at 1/s while the loop runs, so allow a few more requests than the burst.
    for (let i = 0; i <= BURST + 10 && refused === undefined; i++) {
      const response = await send(post(limited));
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(BURST - 1);
    expect(refused?.body.code).toBe('INGEST.RATE_LIMITED');
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another key has its own bucket.
    await send(post()).expect(202);
  });
});

describe('the OpenAPI document', () => {
  it('describes the ingest route with its media types and API key security', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body;
    const operation = doc.paths['/ingest/events'].post;
    expect(Object.keys(operation.requestBody.content)).toEqual([
      'application/json',
      'application/cloudevents+json',
      'application/cloudevents-batch+json',
    ]);
    expect(operation.security).toContainEqual({ 'api-key': [] });
    expect(Object.keys(operation.responses)).toEqual(
      expect.arrayContaining(['202', '400', '401', '403', '413', '415', '429']),
    );
  });
});
