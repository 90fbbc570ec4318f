import { expectReady, type FuzzRoute, fuzzRoutes, listeningUrl } from '@ioc/testing';
import { KpiWorld } from './fixtures/kpi-harness';

// Nothing a caller sends answers a 5xx (docs/architecture.md "Input at the HTTP edge"): every entry point of
// the kpi service under generated hostile input, as an operator, an agency and without credentials.

jest.setTimeout(300_000);

const RUNS = 150;

describe('kpi HTTP edge under hostile input', () => {
  const world = new KpiWorld();
  let url: string;
  let operator: string;
  let agency: string;

  beforeAll(async () => {
    await world.setUp();
    url = await listeningUrl(world.app.getHttpServer());
    operator = await world.token({ subject: 'op', roles: ['operator'] });
    agency = await world.token({ subject: 'ag', roles: ['agency'], agencyId: 'AG-SGTVT' });
  }, 120_000);

  afterAll(() => world.tearDown());

  const routes = (headers: Record<string, string>): FuzzRoute[] => [
    { method: 'GET', path: '/kpis', headers },
    { method: 'GET', path: '/kpis/values', headers },
    { method: 'GET', path: '/kpis/:code/history', headers, params: { code: 'report-on-time-share' } },
    { method: 'GET', path: '/kpis/:code/ranking', headers, params: { code: 'report-on-time-share' } },
  ];

  it.each([
    ['an operator', () => ({ authorization: `Bearer ${operator}` })],
    ['an agency', () => ({ authorization: `Bearer ${agency}` })],
    ['no one', () => ({})],
  ])('answers %s without a 5xx', async (_who, headers) => {
    await fuzzRoutes(url, routes(headers()), { runs: RUNS });
    await expectReady(url);
  });

  it('refuses a cursor it did not issue and a period the KPI is not computed by, with a 400 body', async () => {
    const cursor = await world.get('/kpis/values?period=month&cursor=bm90LWEtY3Vyc29y');
    expect(cursor.status).toBe(400);
    expect(cursor.body).toMatchObject({ code: 'VALIDATION.FAILED' });
    const period = await world.get('/kpis/pillar-digital-society/history?period=hour');
    expect(period.status).toBe(400);
    expect(period.body).toMatchObject({ code: 'KPI.PERIOD_NOT_COMPUTED' });
    const missing = await world.get('/kpis/no-such-kpi/ranking?period=month&dimensionKind=unit');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'KPI.NOT_FOUND' });
  });
});
