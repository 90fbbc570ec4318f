import { ApiKeyService } from '@ioc/auth';
import { apiKeyCli } from '@ioc/testing';
import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { type ReportsApp, startReportsApp } from './reports-app';

jest.setTimeout(90_000);

const BASE = '/open311/v2';
const POINT = { lat: 20.8605, long: 106.69 };
const XML_TYPE = 'text/xml; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

// The GeoReport v2 elements that repeat inside a container (`<services><service>`, `<formats><format>` …).
const ITEM_ELEMENTS = new Set(['service', 'request', 'error', 'endpoint', 'format', 'attribute', 'value']);
const xmlParser = new XMLParser({
  ignoreDeclaration: true,
  parseTagValue: false,
  isArray: (name) => ITEM_ELEMENTS.has(name),
});

type Tree = string | Tree[] | { [name: string]: Tree };

/**
 * Reads an XML answer back the way the spec maps XML to JSON (its Spark convention): a container of repeated
 * items is a list, and the root element is dropped. XML text carries no types, so everything is text and an
 * empty element stands for null, an empty string and an empty list alike.
 */
function fromXml(xml: string): Tree {
  const unwrap = (node: unknown): Tree => {
    if (typeof node !== 'object' || node === null) return String(node);
    const names = Object.keys(node);
    const only = (node as Record<string, unknown>)[names[0]];
    if (names.length === 1 && ITEM_ELEMENTS.has(names[0]) && Array.isArray(only)) return only.map(unwrap);
    return Object.fromEntries(Object.entries(node).map(([name, inner]) => [name, unwrap(inner)]));
  };
  const document = xmlParser.parse(xml, true) as Record<string, unknown>;
  const roots = Object.keys(document);
  expect(roots).toHaveLength(1);
  return unwrap(document[roots[0]]);
}

/** A JSON answer as its XML twin must read: every value as text, null and empty lists as ''. */
function asXmlText(value: unknown): Tree {
  if (value === null) return '';
  if (Array.isArray(value)) return value.length === 0 ? '' : value.map(asXmlText);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, asXmlText(inner)]));
  }
  return String(value);
}

/** The root element's name of an XML answer. */
const rootOf = (xml: string) => Object.keys(xmlParser.parse(xml, true) as object)[0];

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

  /** `<errors><error><code/><description/></error>…</errors>`, each with `code` the HTTP status. */
  const expectOpen311XmlError = (response: request.Response, code: number) => {
    expect(response.status).toBe(code);
    expect(response.headers['content-type']).toBe(XML_TYPE);
    expect(response.text.startsWith(XML_DECLARATION)).toBe(true);
    expect(rootOf(response.text)).toBe('errors');
    const errors = fromXml(response.text);
    expect(Array.isArray(errors) && errors.length > 0).toBe(true);
    for (const error of errors as Tree[]) {
      expect(error).toEqual({ code: String(code), description: expect.stringMatching(/\S/) });
    }
  };

  it('describes itself at discovery, offering XML and JSON', async () => {
    const response = await request(sut.http).get(`${BASE}/discovery.json`);
    expect(response.status).toBe(200);
    expect(response.body.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: expect.stringMatching(/\/open311\/v2$/),
      formats: ['text/xml', 'application/json'],
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

  describe('in XML, the format the spec requires', () => {
    let id: string;
    let token: string;

    beforeAll(async () => {
      // The spec's own example: form-encoded, the key in the body, answered in XML.
      const created = await request(sut.http)
        .post(`${BASE}/requests.xml`)
        .type('form')
        .send({
          api_key: apiKey,
          jurisdiction_id: 'city.example',
          service_code: 'street-lighting',
          lat: String(POINT.lat),
          long: String(POINT.long),
          address_string: 'Ngõ 5 Cầu Đất',
          description: 'Đèn đường hỏng',
        });
      expect(created.status).toBe(201);
      expect(created.headers['content-type']).toBe(XML_TYPE);
      expect(created.text.startsWith(XML_DECLARATION)).toBe(true);
      expect(rootOf(created.text)).toBe('service_requests');
      const [answer] = fromXml(created.text) as Record<string, string>[];
      expect(answer).toEqual({
        service_request_id: expect.stringMatching(/\S/),
        token: expect.stringMatching(/\S/),
        service_notice: '',
        account_id: '',
      });
      ({ service_request_id: id, token } = answer);
    });

    it.each([
      ['discovery', 'discovery'],
      ['services', 'services'],
      ['services/street-lighting', 'service_definition'],
      ['requests', 'service_requests'],
      ['requests/:id', 'service_requests'],
      ['tokens/:token', 'service_requests'],
    ])('%s.xml carries what its .json twin does, under <%s>', async (resource, root) => {
      const path = `${BASE}/${resource.replace(':id', id).replace(':token', token)}`;
      const query = '?jurisdiction_id=city.example';
      const [xml, json] = await Promise.all([
        request(sut.http).get(`${path}.xml${query}`),
        request(sut.http).get(`${path}.json${query}`),
      ]);

      expect([xml.status, json.status]).toEqual([200, 200]);
      expect(xml.headers['content-type']).toBe(XML_TYPE);
      expect(json.headers['content-type']).toBe(JSON_TYPE);
      expect(xml.text.startsWith(XML_DECLARATION)).toBe(true);
      expect(rootOf(xml.text)).toBe(root);
      expect(fromXml(xml.text)).toEqual(asXmlText(json.body));
      if (Array.isArray(json.body)) expect(json.body.length).toBeGreaterThan(0);
    });

    it('names the spec elements: <services><service>, <service_requests><request>, <endpoints><endpoint>', async () => {
      const services = await request(sut.http).get(`${BASE}/services.xml`);
      expect(services.text).toMatch(/^<\?xml[^>]*\?><services><service><service_code>/);
      const one = await request(sut.http).get(`${BASE}/requests/${id}.xml`);
      expect(one.text).toContain(`<service_requests><request><service_request_id>${id}</service_request_id>`);
      const discovery = await request(sut.http).get(`${BASE}/discovery.xml`);
      expect(discovery.text).toContain(
        '<formats><format>text/xml</format><format>application/json</format></formats>',
      );
    });

    it('escapes the text it serves and replaces characters XML cannot carry', async () => {
      const created = await request(sut.http).post(`${BASE}/requests.json`).set('X-API-Key', apiKey).send({
        service_code: 'trees',
        lat: POINT.lat,
        long: POINT.long,
        address_string: 'Ngõ 5 <Cầu Đất> & "Lê Lợi"\u0001',
        description: 'Cây đổ',
      });
      expect(created.status).toBe(201);

      const one = await request(sut.http).get(`${BASE}/requests/${created.body[0].service_request_id}.xml`);
      expect(one.text).toContain('<address>Ngõ 5 &lt;Cầu Đất&gt; &amp; &quot;Lê Lợi&quot;\uFFFD</address>');
      const [answer] = fromXml(one.text) as Record<string, string>[];
      expect(answer.address).toBe('Ngõ 5 <Cầu Đất> & "Lê Lợi"\uFFFD');
    });

    it('answers an empty list as an empty container', async () => {
      const none = await request(sut.http).get(
        `${BASE}/requests.xml?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z`,
      );
      expect(none.status).toBe(200);
      expect(none.text).toBe(`${XML_DECLARATION}<service_requests/>`);
    });

    it.each([
      [
        'POST requests.xml without an API key',
        () =>
          request(sut.http)
            .post(`${BASE}/requests.xml`)
            .type('form')
            .send({ service_code: 'trees', lat: '20.85', long: '106.65', description: 'x' }),
        403,
      ],
      [
        'POST requests.xml with a wrong API key',
        () =>
          request(sut.http)
            .post(`${BASE}/requests.xml`)
            .type('form')
            .send({ api_key: 'nope', service_code: 'trees', lat: '20.85', long: '106.65', description: 'x' }),
        403,
      ],
      [
        'POST requests.xml failing validation',
        () =>
          request(sut.http)
            .post(`${BASE}/requests.xml`)
            .set('X-API-Key', apiKey)
            .type('form')
            .send({ service_code: 'trees', lat: 'north' }),
        400,
      ],
      [
        'POST requests.xml for an unknown service',
        () =>
          request(sut.http)
            .post(`${BASE}/requests.xml`)
            .set('X-API-Key', apiKey)
            .type('form')
            .send({ service_code: 'ufo', lat: '20.85', long: '106.65', description: 'x' }),
        400,
      ],
      [
        'POST requests.xml with a body that is not JSON',
        () =>
          request(sut.http)
            .post(`${BASE}/requests.xml`)
            .set('X-API-Key', apiKey)
            .set('Content-Type', 'application/json')
            .send('{"service_code":'),
        400,
      ],
      [
        'POST requests.xml with an oversized body',
        () =>
          request(sut.http)
            .post(`${BASE}/requests.xml`)
            .set('X-API-Key', apiKey)
            .type('form')
            .send({ service_code: 'trees', description: 'x'.repeat(200_000) }),
        413,
      ],
      [
        'GET services/{code}.xml of an unknown service',
        () => request(sut.http).get(`${BASE}/services/ufo.xml`),
        404,
      ],
      [
        'GET services.xml of another jurisdiction',
        () => request(sut.http).get(`${BASE}/services.xml?jurisdiction_id=elsewhere`),
        404,
      ],
      [
        'GET requests/{id}.xml of an unknown request',
        () => request(sut.http).get(`${BASE}/requests/NOPE-NOPE-00.xml`),
        404,
      ],
      [
        'GET tokens/{id}.xml of an unknown token',
        () => request(sut.http).get(`${BASE}/tokens/00000000-0000-4000-8000-000000000000.xml`),
        404,
      ],
      [
        'GET requests.xml with a bad filter',
        () => request(sut.http).get(`${BASE}/requests.xml?status=pending`),
        400,
      ],
      ['GET an unknown resource .xml', () => request(sut.http).get(`${BASE}/nothing-here.xml`), 404],
    ])('answers %s in <errors>', async (_case, call, status) => {
      expectOpen311XmlError(await call(), status);
    });

    it('lists every failing field as its own <error>', async () => {
      const response = await request(sut.http)
        .post(`${BASE}/requests.xml`)
        .set('X-API-Key', apiKey)
        .type('form')
        .send({});
      expectOpen311XmlError(response, 400);
      const descriptions = (fromXml(response.text) as { description: string }[]).map((e) => e.description);
      expect(descriptions).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^service_code /),
          expect.stringMatching(/^description /),
        ]),
      );
    });

    it('answers the JSON twins of body and route failures in the spec shape too', async () => {
      const malformed = await request(sut.http)
        .post(`${BASE}/requests.json`)
        .set('X-API-Key', apiKey)
        .set('Content-Type', 'application/json')
        .send('{"service_code":');
      expect(malformed.status).toBe(400);
      expectOpen311Error(malformed.body, 400);
      const unknown = await request(sut.http).get(`${BASE}/nothing-here.json`);
      expect(unknown.status).toBe(404);
      expectOpen311Error(unknown.body, 404);
    });
  });

  describe("with a key from the operator's command, npm run api-key -- --service reports", () => {
    const KEY = /^ioc_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
    const body = {
      service_code: 'trees',
      lat: String(POINT.lat),
      long: String(POINT.long),
      description: 'Cây đổ',
    };

    it('creates a key in the reports schema that Open311 POST takes, stored only as a hash, until revoked', async () => {
      const created = await apiKeyCli(['--service', 'reports', '--integrator', 'zalo-oa'], sut.schema);
      expect(created).toMatchObject({
        exitCode: 0,
        stderr: expect.stringContaining(`${sut.schema}: created key`),
      });
      const key = created.stdout.trim();
      const [, id, secret] = KEY.exec(key) ?? [];
      expect(id).toBeDefined();

      const accepted = await request(sut.http)
        .post(`${BASE}/requests.xml`)
        .type('form')
        .send({ ...body, api_key: key });
      expect(accepted.status).toBe(201);
      expect(rootOf(accepted.text)).toBe('service_requests');
      await request(sut.http).post(`${BASE}/requests.json`).set('X-API-Key', key).send(body).expect(201);

      const rows: unknown[] = await sut.dataSource.query(
        `SELECT * FROM "${sut.schema}".api_keys WHERE id = $1`,
        [id],
      );
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(secret);
      const listed = await apiKeyCli(['--service', 'reports', '--list'], sut.schema);
      expect(listed.stdout).toContain(`${id}\tzalo-oa\t-\t`);
      expect(listed.stdout).not.toContain(secret);

      const revoked = await apiKeyCli(['--service', 'reports', '--revoke', id], sut.schema);
      expect(revoked).toMatchObject({ exitCode: 0, stdout: `${sut.schema}: revoked key ${id}\n` });
      expectOpen311XmlError(
        await request(sut.http)
          .post(`${BASE}/requests.xml`)
          .type('form')
          .send({ ...body, api_key: key }),
        403,
      );
    });

    it('refuses scopes, which reports does not grant by', async () => {
      const scoped = await apiKeyCli(
        ['--service', 'reports', '--integrator', 'x', '--scope', 'open311'],
        sut.schema,
      );
      expect(scoped).toMatchObject({ exitCode: 2, stdout: '' });
      expect(scoped.stderr).toContain('reports grants by the integrator role alone');
    });
  });
});
