import { ApiKeyService } from '@ioc/auth';
import { EventTypes, type TopicName, Topics } from '@ioc/contracts';
import { ServiceWorld, type TopicReader, type TopicRecord } from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { intakeService } from '../src/bootstrap';

// NGSI-LD notifications end to end: FIWARE smart data model entities, in both representations, mapped onto our
// events and read back from the suffixed topics.
const world = new ServiceWorld();
const HOSTILE = `<img src=x onerror=alert(1)>'; DROP TABLE api_keys; --`;

let app: INestApplication;
let reader: TopicReader;
let apiKeys: ApiKeyService;
let key: string;

const topic = (base: TopicName) => world.topic(base);
const http = () => request(app.getHttpServer());
const notify = (entities: unknown[], apiKey = key, contentType = 'application/json') =>
  http()
    .post('/ngsi-ld/v1/notify')
    .set('X-API-Key', apiKey)
    .set('content-type', contentType)
    .send(
      JSON.stringify({
        id: 'urn:ngsi-ld:Notification:1',
        type: 'Notification',
        subscriptionId: 'urn:ngsi-ld:Subscription:ioc',
        notifiedAt: '2025-03-01T02:00:05Z',
        data: entities,
      }),
    );

const value = (v: unknown) => ({ type: 'Property', value: v });
const dateTime = (v: string) => ({ type: 'Property', value: { '@type': 'DateTime', '@value': v } });
const relationship = (object: string) => ({ type: 'Relationship', object });
const byKey = (k: string) => (record: TopicRecord) => record.key === k;
const dataOf = (record: TopicRecord) => JSON.parse(String(record.value)) as Record<string, unknown>;

beforeAll(async () => {
  await world.setUp();
  app = await world.boot(intakeService);
  apiKeys = app.get(ApiKeyService);
  key = (await apiKeys.create('fiware-broker', ['ioc.camera.*', Topics.trafficObservations])).plaintext;
  reader = await world.read([Topics.cameraDetections, Topics.cameraHeartbeats, Topics.trafficObservations]);
});

afterAll(() => world.tearDown());

describe('TrafficFlowObserved → ioc.traffic.observation.v1', () => {
  it.each([
    [
      'normalized',
      {
        id: 'urn:ngsi-ld:TrafficFlowObserved:tfo-n',
        type: 'TrafficFlowObserved',
        refRoadSegment: relationship('urn:ngsi-ld:RoadSegment:seg-norm'),
        dateObservedFrom: dateTime('2025-03-01T01:45:00Z'),
        dateObservedTo: dateTime('2025-03-01T02:00:00Z'),
        averageVehicleSpeed: value(23.5),
        intensity: value(300),
        occupancy: value(0.42),
      },
      'seg-norm',
    ],
    [
      'keyValues',
      {
        id: 'urn:ngsi-ld:TrafficFlowObserved:tfo-k',
        type: 'https://smartdatamodels.org/dataModel.Transportation/TrafficFlowObserved',
        refRoadSegment: 'urn:ngsi-ld:RoadSegment:seg-kv',
        dateObserved: '2025-03-01T01:45:00Z/2025-03-01T02:00:00Z',
        dateObservedFrom: '2025-03-01T01:45:00Z',
        averageVehicleSpeed: 23.5,
        intensity: 300,
        occupancy: 0.42,
      },
      'seg-kv',
    ],
  ])('%s', async (_representation, entity, segmentId) => {
    const response = await notify([entity]);
    expect(response.status).toBe(202);
    expect(response.body.accepted).toEqual([
      { id: expect.stringMatching(/^ngsi-/), topic: Topics.trafficObservations },
    ]);

    const [record] = await reader.waitFor(topic(Topics.trafficObservations), byKey(segmentId));
    expect(record.headers).toMatchObject({
      ce_type: EventTypes.trafficObservation,
      ce_source: '/ioc/intake/ngsi-ld',
    });
    expect(dataOf(record)).toEqual({
      segmentId,
      observedAt: '2025-03-01T02:00:00.000Z',
      speedKmh: 23.5,
      volumeVehPerHour: 1200,
      occupancyPct: 42,
    });
  });
});

describe('Alert → ioc.camera.detection.v1', () => {
  it.each([
    [
      'normalized',
      {
        id: 'urn:ngsi-ld:Alert:a-n',
        type: 'Alert',
        category: value('traffic'),
        subCategory: value('carAccident'),
        severity: value('high'),
        dateIssued: dateTime('2025-03-01T02:00:00Z'),
        alertSource: relationship('urn:ngsi-ld:Device:cam-alert-n'),
        description: value(HOSTILE),
      },
      'cam-alert-n',
    ],
    [
      'keyValues',
      {
        id: 'urn:ngsi-ld:Alert:a-k',
        type: 'Alert',
        category: 'traffic',
        subCategory: 'carAccident',
        severity: 'high',
        dateIssued: '2025-03-01T09:00:00+07:00',
        alertSource: 'urn:ngsi-ld:Device:cam-alert-k',
        description: HOSTILE,
      },
      'cam-alert-k',
    ],
  ])('%s', async (_representation, entity, cameraId) => {
    await notify([entity]).expect(202);

    const [record] = await reader.waitFor(topic(Topics.cameraDetections), byKey(cameraId));
    expect(dataOf(record)).toEqual({
      cameraId,
      class: 'accident',
      confidence: 1,
      observedAt: '2025-03-01T02:00:00.000Z',
      attributes: { ngsiCategory: 'traffic', ngsiSubCategory: 'carAccident', ngsiSeverity: 'high' },
    });
    // Free text of the alert is not part of the contract and is not carried.
    expect(String(record.value)).not.toContain('DROP TABLE');
  });

  it('400 when no camera is named, and the other entities of the notification are not published', async () => {
    const heartbeat = {
      id: 'urn:ngsi-ld:Device:cam-not-published',
      type: 'Device',
      dateLastValueReported: '2025-03-01T02:00:00Z',
    };
    const response = await notify([
      heartbeat,
      {
        id: 'urn:ngsi-ld:Alert:a-x',
        type: 'Alert',
        category: 'security',
        dateIssued: '2025-03-01T02:00:00Z',
      },
    ]);
    expect(response.status).toBe(400);
    expect(response.body.details.events).toEqual([
      expect.objectContaining({ index: 1, reason: 'ngsi.camera_unnamed' }),
    ]);

    const marker = { ...heartbeat, dateLastValueReported: '2025-03-01T02:05:00Z' };
    await notify([marker]).expect(202);
    const records = await reader.waitFor(topic(Topics.cameraHeartbeats), byKey('cam-not-published'));
    expect(records.map((r) => dataOf(r).observedAt)).toEqual(['2025-03-01T02:05:00.000Z']);
  });
});

describe('Device → ioc.camera.heartbeat.v1', () => {
  it.each([
    [
      'normalized',
      {
        id: 'urn:ngsi-ld:Device:cam-dev-n',
        type: 'Device',
        dateLastValueReported: dateTime('2025-03-01T02:00:00Z'),
        deviceState: value('ok'),
        firmwareVersion: value('4.2.1'),
      },
      'cam-dev-n',
      'ok',
    ],
    [
      'keyValues',
      {
        id: 'urn:ngsi-ld:Device:cam-dev-k',
        type: 'Device',
        dateLastValueReported: '2025-03-01T02:00:00Z',
        deviceState: 'lowBattery',
        firmwareVersion: '4.2.1',
      },
      'cam-dev-k',
      'degraded',
    ],
  ])('%s', async (_representation, entity, cameraId, status) => {
    await notify([entity], key, 'application/ld+json').expect(202);

    const [record] = await reader.waitFor(topic(Topics.cameraHeartbeats), byKey(cameraId));
    expect(dataOf(record)).toEqual({
      cameraId,
      observedAt: '2025-03-01T02:00:00.000Z',
      status,
      firmware: '4.2.1',
    });
  });

  it('a re-sent notification maps to the same event id, which the consumers deduplicate', async () => {
    const entity = {
      id: 'urn:ngsi-ld:Device:cam-resent',
      type: 'Device',
      dateLastValueReported: '2025-03-01T02:00:00Z',
    };
    const first = await notify([entity]).expect(202);
    const second = await notify([entity]).expect(202);
    expect(second.body.accepted[0].id).toBe(first.body.accepted[0].id);
    const records = await reader.waitFor(topic(Topics.cameraHeartbeats), byKey('cam-resent'), { count: 2 });
    expect(new Set(records.map((r) => r.headers.ce_id))).toEqual(new Set([first.body.accepted[0].id]));
  });
});

describe('NGSI-LD notification refusals', () => {
  it.each([
    [
      'an unsupported entity type',
      { id: 'urn:ngsi-ld:Building:b1', type: 'Building' },
      'ngsi.type_unsupported',
    ],
    [
      'a Device id off the convention',
      { id: 'cam-1', type: 'Device', dateLastValueReported: '2025-03-01T02:00:00Z' },
      'ngsi.id_convention',
    ],
    [
      'a Device without dateLastValueReported',
      { id: 'urn:ngsi-ld:Device:cam-1', type: 'Device' },
      'ngsi.attribute_missing',
    ],
    [
      'a local time without offset',
      { id: 'urn:ngsi-ld:Device:cam-1', type: 'Device', dateLastValueReported: '2025-03-01T02:00:00' },
      'ngsi.attribute_invalid',
    ],
    [
      'a speed that is text',
      {
        id: 'urn:ngsi-ld:TrafficFlowObserved:t',
        type: 'TrafficFlowObserved',
        refRoadSegment: 'urn:ngsi-ld:RoadSegment:s',
        dateObserved: '2025-03-01T02:00:00Z',
        averageVehicleSpeed: '50',
      },
      'ngsi.attribute_invalid',
    ],
    [
      'a speed out of range',
      {
        id: 'urn:ngsi-ld:TrafficFlowObserved:t',
        type: 'TrafficFlowObserved',
        refRoadSegment: 'urn:ngsi-ld:RoadSegment:s',
        dateObserved: '2025-03-01T02:00:00Z',
        averageVehicleSpeed: 5000,
      },
      'schema.invalid',
    ],
    [
      'a hostile camera id',
      { id: `urn:ngsi-ld:Device:${HOSTILE}`, type: 'Device', dateLastValueReported: '2025-03-01T02:00:00Z' },
      'envelope.invalid',
    ],
    ['not an object', 'urn:ngsi-ld:Device:cam-1', 'ngsi.not_an_entity'],
  ])('400 for %s', async (_name, entity, reason) => {
    const response = await notify([entity]);
    expect(response.status).toBe(400);
    expect(response.body.details.events).toEqual([expect.objectContaining({ index: 0, reason })]);
    expect(response.text).not.toContain('DROP TABLE');
  });

  it('400 for a body that is not a notification', async () => {
    const response = await http()
      .post('/ngsi-ld/v1/notify')
      .set('X-API-Key', key)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ type: 'Notification' }));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('NGSI.INVALID_NOTIFICATION');
  });

  it('415 for a content type other than JSON or JSON-LD', async () => {
    const response = await notify([], key, 'text/plain');
    expect(response.status).toBe(415);
  });

  it('401 without or with a bad API key', async () => {
    await http().post('/ngsi-ld/v1/notify').send({ data: [] }).expect(401);
    await notify([], 'ioc_bad').expect(401);
  });

  it("403 when the mapped topic is outside the key's scopes", async () => {
    const cameraOnly = (await apiKeys.create('fiware-cameras', ['ioc.camera.*'])).plaintext;
    const response = await notify(
      [
        {
          id: 'urn:ngsi-ld:TrafficFlowObserved:t',
          type: 'TrafficFlowObserved',
          refRoadSegment: 'urn:ngsi-ld:RoadSegment:s',
          dateObserved: '2025-03-01T02:00:00Z',
          averageVehicleSpeed: 40,
        },
      ],
      cameraOnly,
    );
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('INGEST.TOPIC_NOT_ALLOWED');
  });
});
