import request from 'supertest';
import { qualifiedTable } from '@ioc/database';
import { waitFor } from '@ioc/testing';
import { type ReportsApp, startReportsApp } from './reports-app';

jest.setTimeout(120_000);

const body = {
  categoryCode: 'drainage-flooding',
  description: 'Ngập sâu sau mưa',
  location: { lat: 20.842, lon: 106.66 },
};

/**
 * A citizen's submission writes its report, timeline and outbox rows together or not at all
 * (docs/architecture.md, "Nothing lost"): without a key in one statement outside a transaction, with one in
 * the key's transaction.
 */
describe('a submission’s writes', () => {
  let sut: ReportsApp;
  let table: (name: string) => string;

  beforeAll(async () => {
    sut = await startReportsApp();
    table = (name) => qualifiedTable(sut.dataSource, name);
  });

  afterAll(async () => {
    await sut?.close();
  });

  const count = async (name: string): Promise<number> =>
    Number((await sut.dataSource.query(`SELECT count(*) AS n FROM ${table(name)}`))[0].n);
  const counts = async () => ({
    reports: await count('reports'),
    timeline: await count('report_timeline'),
    outbox: await count('outbox'),
    keys: await count('idempotency_keys'),
  });

  /**
   * Fails every outbox row whose report is already written: the failure comes after the report's insert, at
   * the end of the statement that made both (an AFTER trigger), where the report row is visible.
   */
  async function failingAfterTheReport<T>(work: () => Promise<T>): Promise<T> {
    await sut.dataSource.query(`
      CREATE FUNCTION ${sut.schema}.fail_after_report() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM ${table('reports')} WHERE id::text = NEW.message_key) THEN
          RAISE EXCEPTION 'injected failure after the report insert';
        END IF;
        RETURN NULL;
      END
      $$`);
    await sut.dataSource.query(`
      CREATE TRIGGER fail_after_report AFTER INSERT ON ${table('outbox')}
      FOR EACH ROW EXECUTE FUNCTION ${sut.schema}.fail_after_report()`);
    try {
      return await work();
    } finally {
      await sut.dataSource.query(`DROP TRIGGER fail_after_report ON ${table('outbox')}`);
      await sut.dataSource.query(`DROP FUNCTION ${sut.schema}.fail_after_report()`);
    }
  }

  it.each([
    ['without a key, in one statement', undefined],
    ['with an Idempotency-Key, in its transaction', 'c3d4e5f6-atomic-4a5b-8c9d-0e1f2a3b4c5d'],
  ])(
    'leaves no report, timeline line, outbox row or key when the outbox write fails (%s)',
    async (_, key) => {
      // The relay drains the outbox behind the service's back; start from an empty one.
      await waitFor(async () => (await count('outbox')) === 0, { what: 'the outbox to drain' });
      const before = await counts();
      const post = () => {
        const req = request(sut.http).post('/reports');
        return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
      };

      const failed = await failingAfterTheReport(post);

      expect(failed.status).toBe(500);
      expect(await counts()).toEqual(before);
      // The same request without the injected failure writes all of it: the failure above was the only reason.
      const accepted = await post();
      expect(accepted.status).toBe(201);
      const after = await counts();
      expect(after.reports).toBe(before.reports + 1);
      expect(after.timeline).toBeGreaterThan(before.timeline);
      expect(after.keys).toBe(before.keys + (key === undefined ? 0 : 1));
    },
  );
});
