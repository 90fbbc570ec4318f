import request from 'supertest';
import { type ReportsApp, startReportsApp } from './reports-app';

jest.setTimeout(90_000);

// Inside HP.2025.LE-CHAN in the shipped data; the category routes there to the ward's agency.
const LE_CHAN = { lat: 20.842, lon: 106.66 };
const AGENCY = 'AG-UBND-P-LE-CHAN';

describe('report lists paged by cursor', () => {
  let sut: ReportsApp;
  const submitted: string[] = [];

  beforeAll(async () => {
    sut = await startReportsApp();
    for (let n = 0; n < 5; n += 1) {
      const response = await request(sut.http)
        .post('/reports')
        .send({ categoryCode: 'sidewalk-encroachment', description: `Paging ${n}`, location: LE_CHAN });
      expect(response.status).toBe(201);
      submitted.push((response.body as { id: string }).id);
    }
  });

  afterAll(async () => {
    await sut?.close();
  });

  async function walk(path: string, token: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await request(sut.http)
        .get(path)
        .query({ limit: 2, ...(cursor === undefined ? {} : { cursor }) })
        .auth(token, { type: 'bearer' });
      expect(response.status).toBe(200);
      const page = response.body as { items: { id: string }[]; nextCursor?: string };
      expect(page).not.toHaveProperty('total');
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== undefined && pages < 10);
    return { ids, pages };
  }

  it.each([
    ['operator', '/operator/reports'],
    ['agency', '/agency/reports'],
  ] as const)('walks every report once, newest first, as %s', async (role, path) => {
    const token = await sut.token(role, role === 'agency' ? AGENCY : undefined);

    const { ids, pages } = await walk(path, token);
    const whole = await request(sut.http).get(path).query({ limit: 200 }).auth(token, { type: 'bearer' });

    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual((whole.body as { items: { id: string }[] }).items.map((item) => item.id));
    expect(whole.body).not.toHaveProperty('nextCursor');
    expect(pages).toBe(Math.floor(ids.length / 2) + 1);
    // Later submissions may wait in triage as likely duplicates: only the operators see them all.
    if (role === 'operator')
      expect(ids.filter((id) => submitted.includes(id))).toEqual([...submitted].reverse());
  });

  it.each([
    'not-a-cursor',
    Buffer.from('[1,"x"]').toString('base64url'),
    Buffer.from('{}').toString('base64url'),
  ])('refuses a cursor it did not issue: %s', async (cursor) => {
    const operator = await sut.token('operator');

    const response = await request(sut.http)
      .get('/operator/reports')
      .query({ cursor })
      .auth(operator, { type: 'bearer' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION.FAILED',
      details: { fields: [expect.objectContaining({ field: 'cursor' })] },
    });
  });
});
