import { ApiKeyService } from '@ioc/auth';
import { EventTypes } from '@ioc/contracts';
import {
  expectHandled,
  expectReady,
  type FuzzRoute,
  fuzzRoutes,
  listeningUrl,
  type RawRequest,
  type RawResponse,
  sendRaw,
} from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import { IntakeWorld } from './fixtures/intake-harness';

// Nothing a caller sends answers a 5xx (docs/architecture.md "Input at the HTTP edge"): each reproduction
// that did, then every entry point of intake under generated hostile input.

jest.setTimeout(300_000);

const DATA = { cameraId: 'cam-fuzz', class: 'accident', confidence: 0.9, observedAt: '2025-03-01T02:00:00Z' };
const ATTRIBUTES = {
  specversion: '1.0',
  id: 'fuzz-1',
  source: '/vendors/fuzz',
  type: EventTypes.cameraDetection,
  subject: 'cam-fuzz',
  time: '2025-03-01T02:00:00Z',
};
const STRUCTURED = { ...ATTRIBUTES, datacontenttype: 'application/json', data: DATA };
const BINARY_HEADERS = Object.fromEntries(
  Object.entries(ATTRIBUTES).map(([name, value]) => [`ce-${name}`, value]),
);
const NOTIFICATION = {
  id: 'urn:ngsi-ld:Notification:1',
  type: 'Notification',
  subscriptionId: 'urn:ngsi-ld:Subscription:ioc',
  notifiedAt: '2025-03-01T02:00:05Z',
  data: [
    {
      id: 'urn:ngsi-ld:Device:cam-fuzz',
      type: 'Device',
      dateLastValueReported: '2025-03-01T02:00:00Z',
      deviceState: 'ok',
    },
  ],
};
const DEEP = (open: string, close: string) => open.repeat(10_000) + close.repeat(10_000);

describe('intake HTTP edge under hostile input', () => {
  // No rate limit in the way: the fuzzer must reach the parsers and the codec, not the token bucket.
  const world = new IntakeWorld({
    INTAKE_INGEST_RATE_LIMIT_PER_SECOND: '1000000',
    INTAKE_INGEST_RATE_LIMIT_BURST: '1000000',
  });
  let app: INestApplication;
  let url: string;
  let apiKey: string;
  let operator: string;

  const send = (request: RawRequest): Promise<RawResponse> => sendRaw(url, request);
  const post = (path: string, contentType: string, body: unknown, headers: Record<string, string> = {}) =>
    send({
      method: 'POST',
      path,
      headers: { 'content-type': contentType, 'x-api-key': apiKey, ...headers },
      body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'),
    });
  const bearer = () => ({ authorization: `Bearer ${operator}` });
  const expectRefused = (response: RawResponse, code: string) => {
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ statusCode: 400, code, correlationId: expect.any(String) });
  };

  beforeAll(async () => {
    await world.setUp();
    app = await world.start();
    await world.seed(app);
    url = await listeningUrl(app.getHttpServer());
    apiKey = (await app.get(ApiKeyService).create('fuzz-integrator', ['ioc.*'])).plaintext;
    operator = await world.token({ subject: 'op-fuzz', roles: ['operator'] });
  });

  afterAll(async () => {
    await world.tearDown();
  });

  it('takes the valid forms of each ingest route (the fuzzer mutates these)', async () => {
    expect((await post('/ingest/events', 'application/json', DATA, BINARY_HEADERS)).status).toBe(202);
    expect((await post('/ingest/events', 'application/cloudevents+json', STRUCTURED)).status).toBe(202);
    expect((await post('/ingest/events', 'application/cloudevents-batch+json', [STRUCTURED])).status).toBe(
      202,
    );
    expect((await post('/ngsi-ld/v1/notify', 'application/json', NOTIFICATION)).status).toBe(202);
  });

  it('refuses %00 in an incident id, naming the parameter', async () => {
    for (const [method, path] of [
      ['GET', '/incidents/a%00b'],
      ['POST', '/incidents/a%00b/acknowledge'],
    ] as const) {
      const response = await send({ method, path, headers: bearer() });

      expectRefused(response, 'VALIDATION.FAILED');
      expect(response.json).toMatchObject({ details: { fields: [{ field: 'id' }] } });
    }
  });

  it('answers JSON nested 10,000 deep with 400 in every content mode', async () => {
    for (const [contentType, headers] of [
      ['application/json', BINARY_HEADERS],
      ['application/cloudevents+json', {}],
      ['application/cloudevents-batch+json', {}],
      ['application/ld+json', {}],
    ] as const) {
      for (const body of [DEEP('[', ']'), DEEP('{"data":', '}')]) {
        const path = contentType === 'application/ld+json' ? '/ngsi-ld/v1/notify' : '/ingest/events';
        expectRefused(await post(path, contentType, body, headers), 'VALIDATION.FAILED');
      }
    }
  });

  it.each([
    [
      'a binary-mode header (%00)',
      'application/json',
      DATA,
      { ...BINARY_HEADERS, 'ce-subject': 'cam%00' },
      'INGEST.INVALID_EVENTS',
    ],
    [
      'a structured event',
      'application/cloudevents+json',
      { ...STRUCTURED, subject: 'cam\u0000' },
      {},
      'VALIDATION.FAILED',
    ],
    [
      'a batch event',
      'application/cloudevents-batch+json',
      [{ ...STRUCTURED, data: { ...DATA, cameraId: 'x\uDC00' } }],
      {},
      'VALIDATION.FAILED',
    ],
    [
      'binary-mode data',
      'application/json',
      { ...DATA, cameraId: 'cam\u0000' },
      BINARY_HEADERS,
      'VALIDATION.FAILED',
    ],
  ])(
    'refuses U+0000 or a lone surrogate in %s with 400, never 202',
    async (_where, contentType, body, headers, code) => {
      expectRefused(await post('/ingest/events', contentType, body, headers), code);
    },
  );

  it('refuses U+0000 in an NGSI-LD entity with 400, never 202', async () => {
    const entity = { ...NOTIFICATION.data[0], id: 'urn:ngsi-ld:Device:cam\u0000' };

    expectRefused(
      await post('/ngsi-ld/v1/notify', 'application/json', { ...NOTIFICATION, data: [entity] }),
      'VALIDATION.FAILED',
    );
  });

  it('refuses invalid UTF-8 in an ingest body', async () => {
    const body = Buffer.concat([
      Buffer.from('{"specversion":"1.0","id":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);

    const response = await send({
      method: 'POST',
      path: '/ingest/events',
      headers: { 'content-type': 'application/cloudevents+json', 'x-api-key': apiKey },
      body,
    });

    expectRefused(response, 'VALIDATION.FAILED');
  });

  it('refuses paging that is not decimal', async () => {
    for (const query of ['limit=0x10', 'limit=', 'limit=1%20']) {
      expectRefused(
        await send({ method: 'GET', path: `/incidents?${query}`, headers: bearer() }),
        'VALIDATION.FAILED',
      );
    }
  });

  it('answers a Content-Length of 10 GB with 413 at once', async () => {
    const response = await sendRaw(
      url,
      {
        method: 'POST',
        path: '/ingest/events',
        headers: {
          'content-type': 'application/cloudevents+json',
          'x-api-key': apiKey,
          'content-length': String(10 * 1024 ** 3),
        },
        body: Buffer.from('{}'),
      },
      { partial: true },
    );

    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ statusCode: 413, code: 'HTTP.PAYLOAD_TOO_LARGE' });
  });

  describe('generated hostile requests', () => {
    const RUNS = 300;

    afterEach(async () => {
      await expectReady(url);
    });

    it('incidents, cameras and traffic', async () => {
      const headers = bearer();
      const params = { id: '00000000-0000-4000-8000-000000000000' };
      const routes: FuzzRoute[] = [
        { method: 'GET', path: '/incidents', headers },
        { method: 'GET', path: '/incidents/:id', headers, params },
        { method: 'POST', path: '/incidents/:id/acknowledge', headers, params },
        { method: 'POST', path: '/incidents/:id/assign', headers, params, valid: [{ agencyId: 'AG-SGTVT' }] },
        { method: 'POST', path: '/incidents/:id/clear', headers, params, valid: [{ reason: 'resolved' }] },
        { method: 'GET', path: '/cameras', headers },
        { method: 'GET', path: '/cameras/uptime', headers },
        { method: 'GET', path: '/traffic/segments', headers },
      ];
      await fuzzRoutes(url, routes, { runs: RUNS });
    });

    it('HTTP ingest: binary, structured and batch', async () => {
      const routes: FuzzRoute[] = [
        {
          method: 'POST',
          path: '/ingest/events',
          headers: { 'x-api-key': apiKey, ...BINARY_HEADERS },
          valid: [DATA],
        },
        { method: 'POST', path: '/ingest/events', headers: { 'x-api-key': apiKey }, valid: [STRUCTURED] },
        {
          method: 'POST',
          path: '/ingest/events',
          headers: { 'x-api-key': apiKey },
          valid: [{ 0: STRUCTURED }],
        },
      ];
      await fuzzRoutes(url, routes, { runs: RUNS });
    });

    it('NGSI-LD notifications', async () => {
      const routes: FuzzRoute[] = [
        {
          method: 'POST',
          path: '/ngsi-ld/v1/notify',
          headers: { 'x-api-key': apiKey },
          valid: [NOTIFICATION],
        },
      ];
      await fuzzRoutes(url, routes, { runs: RUNS });
    });

    it('health, metrics and the API description', async () => {
      const routes: FuzzRoute[] = [
        { method: 'GET', path: '/health/live' },
        { method: 'GET', path: '/health/ready' },
        { method: 'GET', path: '/metrics' },
        { method: 'GET', path: '/docs-json' },
        { method: 'PUT', path: '/health/live' },
      ];
      await fuzzRoutes(url, routes, { runs: RUNS });
    });

    it('still takes a valid event afterwards', async () => {
      const response = await post('/ingest/events', 'application/cloudevents+json', {
        ...STRUCTURED,
        id: 'fuzz-after',
      });

      expectHandled({ method: 'POST', path: '/ingest/events', headers: {} }, response);
      expect(response.status).toBe(202);
    });
  });
});
