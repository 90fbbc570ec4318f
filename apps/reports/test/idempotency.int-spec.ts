import { qualifiedTable } from '@ioc/database';
import request from 'supertest';
import { ReportsRepository } from '../src/reports/reports.repository';
import { SlaService } from '../src/sla/sla.service';
import { type ReportsApp, startReportsApp } from './reports-app';

jest.setTimeout(90_000);

const HOUR = 3_600_000;
const body = {
  categoryCode: 'roads-pavements',
  description: 'Ổ gà trước cổng trường',
  location: { lat: 20.845, lon: 106.67 },
};

describe('Idempotency-Key replay window', () => {
  let sut: ReportsApp;
  let keys: string;

  beforeAll(async () => {
    sut = await startReportsApp({ REPORTS_IDEMPOTENCY_TTL: '2h' });
    keys = qualifiedTable(sut.dataSource, 'idempotency_keys');
  });

  afterAll(async () => {
    await sut?.close();
  });

  const countKeys = async (where = 'true'): Promise<number> =>
    Number((await sut.dataSource.query(`SELECT count(*) AS n FROM ${keys} WHERE ${where}`))[0].n);

  it('replays the first answer within the window and answers an expired key as a new request', async () => {
    const key = 'b7e1c2d3-window-4f5a-8b9c-0d1e2f3a4b5c';
    const first = await request(sut.http).post('/reports').set('Idempotency-Key', key).send(body);
    expect(first.status).toBe(201);
    const replay = await request(sut.http).post('/reports').set('Idempotency-Key', key).send(body);
    expect(replay.body).toEqual(first.body);

    // REPORTS_IDEMPOTENCY_TTL is 2 h: move the first answer 2 h and a minute into the past.
    await sut.dataSource.query(`UPDATE ${keys} SET created_at = created_at - $1::interval`, [
      `${2 * HOUR + 60_000} milliseconds`,
    ]);

    const late = await request(sut.http)
      .post('/reports')
      .set('Idempotency-Key', key)
      .send({ ...body, location: { lat: 20.85, lon: 106.68 } });
    expect(late.status).toBe(201);
    expect(late.body.id).not.toBe(first.body.id);
    expect(late.body.secret).not.toBe(first.body.secret);
    expect(JSON.stringify(late.body)).not.toContain(first.body.secret);
  });

  it('purges expired keys in bounded batches during the sweep and keeps those still in their window', async () => {
    await sut.dataSource.query(`DELETE FROM ${keys}`);
    await sut.dataSource.query(
      `INSERT INTO ${keys} (key, request_hash, response, created_at)
       SELECT 'expired-' || i, '\\x00'::bytea, '"sealed"', now() - interval '3 hours' - i * interval '1 second'
       FROM generate_series(1, 450) AS i`,
    );
    await sut.dataSource.query(
      `INSERT INTO ${keys} (key, request_hash, response, created_at)
       SELECT 'live-' || i, '\\x00'::bytea, '"sealed"', now() - interval '1 hour' FROM generate_series(1, 3) AS i`,
    );

    const repository = sut.app.get(ReportsRepository);
    const cutoff = new Date(Date.now() - 2 * HOUR);
    const one = await sut.dataSource.transaction((tx) => repository.purgeIdempotencyKeys(tx, cutoff, 100));
    expect(one).toBe(100);
    expect(await countKeys(`key LIKE 'expired-%'`)).toBe(350);

    const result = await sut.app.get(SlaService).sweep();
    expect(result.idempotencyKeysPurged).toBe(350);
    expect(await countKeys(`key LIKE 'expired-%'`)).toBe(0);
    expect(await countKeys(`key LIKE 'live-%'`)).toBe(3);
  });
});
