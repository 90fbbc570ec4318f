import { ApiKeyService } from '@ioc/auth';
import request from 'supertest';
import { type ReportsApp, startReportsApp } from './reports-app';

jest.setTimeout(90_000);

const BASE = '/open311/v2';
const POINT = { lat: 20.8605, long: 106.69 };

describe('Open311 GeoReport v2', () => {
  let sut: ReportsApp;
  let apiKey: string;

  beforeAll(async () => {
    sut = await startReportsApp({ REPORTS_OPEN311_JURISDICTION: 'city.example' });
    apiKey = (await sut.app.get(ApiKeyService).create('open311-client')).plaintext;
  });

  afterAll(async () => {
    await sut?.close();
  });

  const expectOpen311Error = (body: unknown, code: number) => {
    expect(Array.isArray(body)).toBe(true);
    const errors = body as { code: number; description: string }[];
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error).toEqual({ code, description: expect.any(String) });
  };

  it('describes itself at discovery', async () => {
    const response = await request(sut.http).get(`${BASE}/discovery.json`);
    expect(response.status).toBe(200);
    expect(response.body.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: expect.stringMatching(/\/open311\/v2$/),
      formats: ['application/json'],
    });
  });

  it('lists services from the categories and gives each definition', async () => {
    const services = await request(sut.http).get(`${BASE}/services.json?jurisdiction_id=city.example`);
    expect(services.status).toBe(200);
    expect(services.body).toContainEqual({
      service_code: 'street-lighting',
      service_name: 'Street lighting',
      description: 'Chiếu sáng công cộng',
      metadata: false,
      type: 'realtime',
      keywords: '',
      group: '',
    });
    const definition = await request(sut.http).get(`${BASE}/services/street-lighting.json`);
    expect(definition.body).toEqual({ service_code: 'street-lighting', attributes: [] });

    const unknown = await request(sut.http).get(`${BASE}/services/ufo.json`);
    expect(unknown.status).toBe(404);
    expectOpen311Error(unknown.body, 404);
    const otherCity = await request(sut.http).get(`${BASE}/services.json?jurisdiction_id=elsewhere`);
    expect(otherCity.status).toBe(404);
    expectOpen311Error(otherCity.body, 404);
  });

  it('creates a request with an API key, form-encoded or JSON, and finds it by id, by filters and by token', async () => {
    const created = await request(sut.http)
      .post(`${BASE}/requests.json`)
      .type('form')
      .send({
        api_key: apiKey,
        jurisdiction_id: 'city.example',
        service_code: 'waste-environment',
        lat: String(POINT.lat),
        long: String(POINT.long),
        address_string: '3 Lạch Tray',
        description: 'Rác tồn đọng nhiều ngày',
        first_name: 'Hoàng',
        last_name: 'Kín Đáo',
        phone: '0911 222 333',
      });
    expect(created.status).toBe(201);
    expect(created.body).toEqual([
      {
        service_request_id: expect.any(String),
        token: expect.any(String),
        service_notice: null,
        account_id: null,
      },
    ]);
    const [{ service_request_id: id, token }] = created.body;

    const viaJson = await request(sut.http)
      .post(`${BASE}/requests.json`)
      .set('X-API-Key', apiKey)
      .send({ service_code: 'trees', lat: 20.85, long: 106.65, description: 'Cây đổ' });
    expect(viaJson.status).toBe(201);

    const one = await request(sut.http).get(`${BASE}/requests/${id}.json`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual([
      {
        service_request_id: id,
        status: 'open',
        status_notes: null,
        service_name: 'Waste and environment',
        service_code: 'waste-environment',
        agency_responsible: expect.any(String),
        service_notice: null,
        requested_datetime: expect.any(String),
        updated_datetime: expect.any(String),
        expected_datetime: expect.any(String),
        address: '3 Lạch Tray',
        address_id: null,
        zipcode: null,
        lat: POINT.lat,
        long: POINT.long,
        media_url: null,
      },
    ]);
    // Public: neither the reporter nor the free text.
    for (const value of ['Kín Đáo', '0911 222 333', 'Rác tồn đọng']) expect(one.text).not.toContain(value);

    const filtered = await request(sut.http).get(
      `${BASE}/requests.json?service_code=waste-environment&status=open`,
    );
    expect(filtered.body.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id]);
    const closedOnly = await request(sut.http).get(`${BASE}/requests.json?status=closed`);
    expect(closedOnly.body).toEqual([]);
    const byIds = await request(sut.http).get(
      `${BASE}/requests.json?service_request_id=${id},${viaJson.body[0].service_request_id}`,
    );
    expect(byIds.body).toHaveLength(2);
    const past = await request(sut.http).get(
      `${BASE}/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z`,
    );
    expect(past.body).toEqual([]);

    const byToken = await request(sut.http).get(`${BASE}/tokens/${token}.json`);
    expect(byToken.body).toEqual([{ service_request_id: id, token }]);
    // Neither the reporter nor the integrator's key reach the logs, whether sent in the body, a header or the query.
    await request(sut.http).get(`${BASE}/requests.json?api_key=${encodeURIComponent(apiKey)}`);
    for (const value of ['Kín Đáo', '0911 222 333', apiKey]) expect(sut.logs.text()).not.toContain(value);
  });

  // GeoReport v2 "Errors": 403 for a wrong or missing api_key, not HTTP's 401.
  it.each([
    ['no API key', {}],
    ['a malformed API key', { 'X-API-Key': 'ioc_nope_nope' }],
    ['an unknown API key', { 'X-API-Key': `ioc_0123456789abcdef_${'a'.repeat(43)}` }],
    ['an API key in the body that is wrong', { api_key: 'wrong' }],
  ])('refuses a POST with %s with 403 in the spec error shape', async (_case, credentials) => {
    const call = request(sut.http).post(`${BASE}/requests.json`);
    const body = { service_code: 'trees', lat: 20.85, long: 106.65, description: 'x' };
    const response = await ('X-API-Key' in credentials
      ? call.set('X-API-Key', credentials['X-API-Key'] as string).send(body)
      : call.send({ ...body, ...credentials }));
    expect(response.status).toBe(403);
    expectOpen311Error(response.body, 403);
  });

  it('refuses a revoked API key with 403', async () => {
    const apiKeys = sut.app.get(ApiKeyService);
    const revoked = await apiKeys.create('open311-revoked');
    const body = { service_code: 'trees', lat: 20.85, long: 106.65, description: 'Cây đổ' };
    await request(sut.http)
      .post(`${BASE}/requests.json`)
      .set('X-API-Key', revoked.plaintext)
      .send(body)
      .expect(201);

    await apiKeys.revoke(revoked.id);

    const response = await request(sut.http)
      .post(`${BASE}/requests.json`)
      .set('X-API-Key', revoked.plaintext)
      .send(body);
    expect(response.status).toBe(403);
    expectOpen311Error(response.body, 403);
  });

  it.each([
    ['an unknown service', 'key', { service_code: 'ufo', lat: 20.85, long: 106.65, description: 'x' }, 400],
    ['a point outside the city', 'key', { service_code: 'trees', lat: 10, long: 10, description: 'x' }, 400],
    ['a missing description', 'key', { service_code: 'trees', lat: 20.85, long: 106.65 }, 400],
    [
      'a latitude that is not a number',
      'key',
      { service_code: 'trees', lat: 'north', long: 106.65, description: 'x' },
      400,
    ],
  ])('refuses a POST with %s in the spec error shape', async (_case, headers, body, status) => {
    const call = request(sut.http).post(`${BASE}/requests.json`);
    if (headers === 'key') call.set('X-API-Key', apiKey);
    else for (const [name, value] of Object.entries(headers)) call.set(name, value);
    const response = await call.send(body);
    expect(response.status).toBe(status);
    expectOpen311Error(response.body, status);
  });

  it('answers unknown requests, tokens and bad filters in the spec error shape', async () => {
    for (const [path, status] of [
      ['/requests/NOPE-NOPE-00.json', 404],
      ['/tokens/00000000-0000-4000-8000-000000000000.json', 404],
      ['/tokens/not-a-token.json', 404],
      ['/requests.json?status=pending', 400],
      ['/requests.json?start_date=yesterday', 400],
    ] as const) {
      const response = await request(sut.http).get(`${BASE}${path}`);
      expect(response.status).toBe(status);
      expectOpen311Error(response.body, status);
    }
  });
});
