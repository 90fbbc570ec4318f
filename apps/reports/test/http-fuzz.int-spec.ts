import { ApiKeyService } from '@ioc/auth';
import { qualifiedTable } from '@ioc/database';
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
import { type ReportsApp, startReportsApp } from './reports-app';

// Nothing a caller sends answers a 5xx (docs/architecture.md "Input at the HTTP edge"): each reproduction
// that did, then every entry point of the service under generated hostile input.

jest.setTimeout(300_000);

const POINT = { lat: 20.842, lon: 106.66 };
const VALID_REPORT = { categoryCode: 'roads-pavements', description: 'Ổ gà lớn', location: POINT };
const OPEN311 = '/open311/v2';
const UNSTORABLE = [
  ['U+0000', 'a\u0000b'],
  ['a lone surrogate', 'a\uD800b'],
] as const;
const DEEP_ARRAYS = '['.repeat(10_000) + ']'.repeat(10_000);

describe('reports HTTP edge under hostile input', () => {
  let sut: ReportsApp;
  let url: string;
  let apiKey: string;
  let agency: string;
  let operator: string;
  let report: { id: string; trackingCode: string; secret: string };

  const send = (request: RawRequest): Promise<RawResponse> => sendRaw(url, request);
  const json = (
    method: RawRequest['method'],
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ) =>
    send({
      method,
      path,
      headers: { 'content-type': 'application/json', ...headers },
      body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'),
    });
  const form = (path: string, fields: string, headers: Record<string, string> = {}) =>
    send({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: Buffer.from(fields),
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const countReports = async (): Promise<number> =>
    Number(
      (
        await sut.dataSource.query(`SELECT count(*) AS n FROM ${qualifiedTable(sut.dataSource, 'reports')}`)
      )[0].n,
    );
  const expectFieldRefused = (response: RawResponse, field: string) => {
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION.FAILED',
      details: { fields: expect.arrayContaining([expect.objectContaining({ field })]) },
      correlationId: expect.any(String),
    });
  };
  const expectOpen311Refused = (response: RawResponse, field: string) => {
    expect(response.status).toBe(400);
    expect(response.json).toEqual(
      expect.arrayContaining([{ code: 400, description: expect.stringMatching(new RegExp(`^${field} `)) }]),
    );
  };

  beforeAll(async () => {
    sut = await startReportsApp();
    url = await listeningUrl(sut.http);
    apiKey = (await sut.app.get(ApiKeyService).create('fuzz-client')).plaintext;
    agency = await sut.token('agency', 'AG-SGTVT');
    operator = await sut.token('operator');
    const created = await json('POST', '/reports', VALID_REPORT);
    expect(created.status).toBe(201);
    report = created.json as typeof report;
  });

  afterAll(async () => {
    await sut?.close();
  });

  describe.each(UNSTORABLE)('text with %s', (_what, bad) => {
    it('is refused in every text field of a citizen report, which is not stored', async () => {
      const before = await countReports();
      for (const [body, field] of [
        [{ ...VALID_REPORT, description: bad }, 'description'],
        [{ ...VALID_REPORT, addressText: bad }, 'addressText'],
        [{ ...VALID_REPORT, reporter: { name: bad } }, 'reporter.name'],
        [{ ...VALID_REPORT, categoryCode: bad }, 'categoryCode'],
      ] as const) {
        expectFieldRefused(await json('POST', '/reports', body), field);
      }
      expect(await countReports()).toBe(before);
    });

    it('is refused in a multipart report field', async () => {
      const boundary = 'fuzzboundary';
      const body = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="report"\r\n\r\n` +
          `${JSON.stringify({ ...VALID_REPORT, description: bad })}\r\n--${boundary}--\r\n`,
      );

      const response = await send({
        method: 'POST',
        path: '/reports',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
      });

      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ code: 'VALIDATION.FAILED' });
    });

    it('is refused in agency comments and declines, operator rejections and citizen reopenings', async () => {
      const id = report.id;
      expectFieldRefused(
        await json('POST', `/agency/reports/${id}/comments`, { text: bad }, bearer(agency)),
        'text',
      );
      expectFieldRefused(
        await json('POST', `/agency/reports/${id}/decline`, { reason: bad }, bearer(agency)),
        'reason',
      );
      expectFieldRefused(
        await json('POST', `/operator/reports/${id}/reject`, { kind: 'spam', reason: bad }, bearer(operator)),
        'reason',
      );
      expectFieldRefused(
        await json('POST', `/reports/track/${report.trackingCode}/reopen`, {
          secret: report.secret,
          reason: bad,
        }),
        'reason',
      );
    });

    it('is refused in Open311 requests, JSON and form-encoded, in the GeoReport error shape', async () => {
      const fields = { service_code: 'roads-pavements', lat: 20.85, long: 106.65, api_key: apiKey };
      expectOpen311Refused(
        await json('POST', `${OPEN311}/requests.json`, { ...fields, description: bad }),
        'description',
      );
      expectOpen311Refused(
        await json('POST', `${OPEN311}/requests.json`, { ...fields, description: 'x', first_name: bad }),
        'first_name',
      );
    });
  });

  it('refuses %00 in Open311 form fields and path ids', async () => {
    expectOpen311Refused(
      await form(
        `${OPEN311}/requests.json`,
        `api_key=${apiKey}&service_code=roads-pavements&lat=20.85&long=106.65&description=a%00b`,
      ),
      'description',
    );
    expectOpen311Refused(
      await send({ method: 'GET', path: `${OPEN311}/services/a%00b.json`, headers: {} }),
      'code',
    );
    expectOpen311Refused(
      await send({ method: 'GET', path: `${OPEN311}/requests/a%00b.json`, headers: {} }),
      'id',
    );
  });

  it('refuses %00 in path ids and tracking codes, naming the parameter', async () => {
    expectFieldRefused(
      await send({ method: 'GET', path: '/agency/reports/a%00b', headers: bearer(agency) }),
      'id',
    );
    expectFieldRefused(
      await send({ method: 'POST', path: '/operator/reports/a%00b/assign', headers: bearer(operator) }),
      'id',
    );
    expectFieldRefused(await send({ method: 'GET', path: '/reports/track/AB%00CD', headers: {} }), 'code');
  });

  it('answers JSON nested 10,000 deep with 400, in a body and in a multipart report field', async () => {
    expectFieldRefused(await json('POST', '/reports', DEEP_ARRAYS), 'body');
    expectOpen311Refused(await json('POST', `${OPEN311}/requests.json`, DEEP_ARRAYS), 'body');
    const boundary = 'deep';
    const multipart = await send({
      method: 'POST',
      path: '/reports',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="report"\r\n\r\n${DEEP_ARRAYS}\r\n--${boundary}--\r\n`,
      ),
    });
    expect(multipart.status).toBe(400);
    expect(multipart.json).toMatchObject({ code: 'VALIDATION.FAILED' });
  });

  it('refuses invalid UTF-8 in a JSON body instead of storing U+FFFD', async () => {
    const before = await countReports();
    const body = Buffer.concat([
      Buffer.from(JSON.stringify({ ...VALID_REPORT, description: 'caf' }).replace(/"}$/, '')),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);

    const response = await send({
      method: 'POST',
      path: '/reports',
      headers: { 'content-type': 'application/json' },
      body,
    });

    expectFieldRefused(response, 'body');
    expect(await countReports()).toBe(before);
  });

  it.each(['__proto__', 'constructor', 'hasOwnProperty'])(
    'refuses a %s property like any other unknown one',
    async (key) => {
      const body = JSON.stringify(VALID_REPORT).replace(/}$/, `,"${key}":{"x":1}}`);

      expectFieldRefused(await json('POST', '/reports', body), key);
    },
  );

  it.each([
    ['lat=0x14', '20.85'],
    ['lat=', '20.85'],
    ['lat=20.85', '0x6A'],
  ])('reads Open311 coordinates as decimals only: %s', async (lat, long) => {
    const response = await form(
      `${OPEN311}/requests.json`,
      `api_key=${apiKey}&service_code=roads-pavements&${lat}&long=${long}&description=x`,
    );

    expect(response.status).toBe(400);
    expect(response.json).toEqual(expect.arrayContaining([expect.objectContaining({ code: 400 })]));
  });

  it.each(['limit=0x10', 'limit=', 'limit=%2016', 'cursor=0x10', 'cursor='])(
    'refuses paging that is not a decimal limit or an issued cursor: %s',
    async (query) => {
      expectFieldRefused(
        await send({ method: 'GET', path: `/operator/reports?${query}`, headers: bearer(operator) }),
        query.split('=')[0],
      );
    },
  );

  it('answers a Content-Length of 10 GB with 413 at once, on JSON and multipart routes', async () => {
    for (const contentType of ['application/json', 'multipart/form-data; boundary=x']) {
      const response = await sendRaw(
        url,
        {
          method: 'POST',
          path: '/reports',
          headers: { 'content-type': contentType, 'content-length': String(10 * 1024 ** 3) },
          body: Buffer.from('{}'),
        },
        { partial: true },
      );

      expect(response.status).toBe(413);
      expect(response.json).toMatchObject({ statusCode: 413, code: 'HTTP.PAYLOAD_TOO_LARGE' });
    }
  });

  it('sends nosniff and no X-Powered-By', async () => {
    const response = await send({
      method: 'GET',
      path: `/reports/track/${report.trackingCode}`,
      headers: {},
    });

    expect(response.status).toBe(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  describe('generated hostile requests', () => {
    const RUNS = 300;

    afterEach(async () => {
      await expectReady(url);
    });

    it('citizens and public tracking', async () => {
      const code = { code: report.trackingCode };
      const secret = { secret: report.secret };
      const routes: FuzzRoute[] = [
        {
          method: 'POST',
          path: '/reports',
          valid: [VALID_REPORT, { ...VALID_REPORT, reporter: { name: 'A', phone: '0912345678' } }],
        },
        { method: 'GET', path: '/reports/track/:code', params: code },
        {
          method: 'GET',
          path: '/reports/track/:code/answer-photos/:position',
          params: { ...code, position: '0' },
        },
        { method: 'POST', path: '/reports/track/:code/confirm', params: code, valid: [secret] },
        {
          method: 'POST',
          path: '/reports/track/:code/reopen',
          params: code,
          valid: [{ ...secret, reason: 'x' }],
        },
        {
          method: 'POST',
          path: '/reports/track/:code/rate',
          params: code,
          valid: [{ ...secret, rating: 5 }],
        },
        { method: 'GET', path: '/categories' },
      ];
      await fuzzRoutes(url, routes, { runs: RUNS });
    });

    it('agencies', async () => {
      const headers = bearer(agency);
      const params = { id: report.id, position: '0' };
      const routes: FuzzRoute[] = [
        { method: 'GET', path: '/agency/reports', headers },
        { method: 'GET', path: '/agency/reports/:id', headers, params },
        { method: 'GET', path: '/agency/reports/:id/photos/:position', headers, params },
        { method: 'POST', path: '/agency/reports/:id/acknowledge', headers, params },
        { method: 'POST', path: '/agency/reports/:id/start', headers, params },
        { method: 'POST', path: '/agency/reports/:id/resolve', headers, params, valid: [{ answer: 'x' }] },
        { method: 'POST', path: '/agency/reports/:id/decline', headers, params, valid: [{ reason: 'x' }] },
        { method: 'POST', path: '/agency/reports/:id/comments', headers, params, valid: [{ text: 'x' }] },
      ];
      await fuzzRoutes(url, routes, { runs: RUNS });
    });

    it('operators', async () => {
      const headers = bearer(operator);
      const params = { id: report.id };
      const routes: FuzzRoute[] = [
        { method: 'GET', path: '/operator/reports', headers },
        { method: 'GET', path: '/operator/reports/triage', headers },
        { method: 'GET', path: '/operator/reports/:id', headers, params },
        {
          method: 'POST',
          path: '/operator/reports/:id/assign',
          headers,
          params,
          valid: [{ agencyId: 'AG-SGTVT' }],
        },
        {
          method: 'POST',
          path: '/operator/reports/:id/reject',
          headers,
          params,
          valid: [{ kind: 'spam', reason: 'x' }],
        },
        { method: 'POST', path: '/operator/reports/:id/duplicate/confirm', headers, params },
        { method: 'POST', path: '/operator/reports/:id/duplicate/dismiss', headers, params },
      ];
      await fuzzRoutes(url, routes, { runs: RUNS });
    });

    it('Open311, JSON and form-encoded', async () => {
      const headers = { 'x-api-key': apiKey };
      const request = { service_code: 'roads-pavements', lat: 20.85, long: 106.65, description: 'x' };
      const routes: FuzzRoute[] = [
        { method: 'GET', path: `${OPEN311}/discovery.json` },
        { method: 'GET', path: `${OPEN311}/services.json` },
        { method: 'GET', path: `${OPEN311}/services/:code.json`, params: { code: 'roads-pavements' } },
        {
          method: 'POST',
          path: `${OPEN311}/requests.json`,
          headers,
          valid: [request, { ...request, api_key: apiKey }],
        },
        { method: 'GET', path: `${OPEN311}/requests.json` },
        { method: 'GET', path: `${OPEN311}/requests/:id.json`, params: { id: report.trackingCode } },
        { method: 'GET', path: `${OPEN311}/tokens/:token.json`, params: { token: report.id } },
      ];
      await fuzzRoutes(url, routes, { runs: RUNS, shapes: ['ioc', 'open311'] });
    });

    it('health, metrics and the API description', async () => {
      const routes: FuzzRoute[] = [
        { method: 'GET', path: '/health/live' },
        { method: 'GET', path: '/health/ready' },
        { method: 'GET', path: '/metrics' },
        { method: 'GET', path: '/docs-json' },
        { method: 'POST', path: '/health/ready' },
        { method: 'DELETE', path: '/metrics' },
      ];
      await fuzzRoutes(url, routes, { runs: RUNS });
    });

    it('still takes a valid report afterwards', async () => {
      const response = await json('POST', '/reports', { ...VALID_REPORT, description: 'after the storm' });

      expectHandled({ method: 'POST', path: '/reports', headers: {} }, response);
      expect(response.status).toBe(201);
    });
  });
});
