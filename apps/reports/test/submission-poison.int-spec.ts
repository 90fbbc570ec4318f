import { createEvent, encodeKafkaMessage, EventTypes, submissionSubject, Topics } from '@ioc/contracts';
import { qualifiedTable } from '@ioc/database';
import { DlqHeaders } from '@ioc/messaging';
import { waitFor } from '@ioc/testing';
import request from 'supertest';
import { SUBMISSIONS_CONSUMER } from '../src/submissions/report-submissions.consumer';
import { type ReportsApp, startReportsApp } from './reports-app';

jest.setTimeout(120_000);

const REPORTER = { name: 'Lê Thị Độc', phone: '0912 000 111' };
const PARTITION = 3;

function submission(externalId: string, overrides: Record<string, unknown> = {}) {
  return createEvent(EventTypes.reportSubmission, {
    source: '/ioc/hotline',
    subject: submissionSubject('hotline', externalId),
    data: {
      channel: 'hotline' as const,
      externalId,
      categoryCode: 'drainage-flooding',
      description: 'Ngập sâu sau mưa',
      location: { lat: 20.842, lon: 106.66 },
      reporter: REPORTER,
      ...overrides,
    },
  });
}

/**
 * A submission Postgres refuses (U+0000 in its description: SQLSTATE 22021) used to be retried as a
 * transient fault forever, holding its partition while `/health/ready` said 200. It is dead-lettered now,
 * and the partition moves on.
 */
describe('a poison submission does not hold its partition', () => {
  let sut: ReportsApp;

  beforeAll(async () => {
    sut = await startReportsApp();
  });

  afterAll(async () => {
    await sut?.close();
  });

  const reportsWithExternalId = async (externalId: string): Promise<string[]> => {
    const rows: { id: string }[] = await sut.dataSource.query(
      `SELECT r.id FROM ${qualifiedTable(sut.dataSource, 'reports')} r
       JOIN ${qualifiedTable(sut.dataSource, 'external_ids')} x ON x.report_id = r.id WHERE x.external_id = $1`,
      [externalId],
    );
    return rows.map((row) => row.id);
  };

  it('applies the valid submissions behind a U+0000 one and other poison, once each, and dead-letters the poison with its reason', async () => {
    // A copy of a valid one given the U+0000 an integrator's bytes can carry: the contracts refuse to create
    // it, and publish an event they created with its data as checked.
    const created = submission('HL-NUL-1');
    const nul = { ...created, data: { ...created.data, description: 'Cống vỡ\u0000 tràn nước' } };
    const unknownCategory = submission('HL-NUL-2', { categoryCode: 'ufo-sighting' });
    const valid = ['HL-OK-1', 'HL-OK-2', 'HL-OK-3'].map((id) => submission(id));
    // One partition, in this order: valid, poison, valid, poison, valid.
    const sequence = [valid[0], nul, valid[1], unknownCategory, valid[2]];
    await sut.world.publishRaw(
      Topics.reportsSubmissions,
      sequence.map((event) => ({ ...encodeKafkaMessage(event, 'binary'), partition: PARTITION })),
    );

    await waitFor(async () => (await reportsWithExternalId('HL-OK-3')).length > 0, {
      what: 'the last valid submission behind the poison',
      timeoutMs: 60_000,
    });
    for (const { data } of valid) expect(await reportsWithExternalId(data.externalId)).toHaveLength(1);
    expect(await reportsWithExternalId('HL-NUL-1')).toEqual([]);
    expect(await reportsWithExternalId('HL-NUL-2')).toEqual([]);

    const letters = (
      await sut.read(
        Topics.dlq,
        (records) =>
          records.filter((r) => r.headers[DlqHeaders.consumer] === SUBMISSIONS_CONSUMER).length >= 2,
      )
    ).filter((r) => r.headers[DlqHeaders.consumer] === SUBMISSIONS_CONSUMER);
    expect(
      letters.map((l) => [
        l.headers.ce_id,
        l.headers[DlqHeaders.sourcePartition],
        l.headers[DlqHeaders.sourceOffset],
      ]),
    ).toEqual([
      [nul.id, String(PARTITION), '1'],
      [unknownCategory.id, String(PARTITION), '3'],
    ]);
    // Postgres' data exception names the SQLSTATE. Once the submission schema refuses U+0000 itself, the
    // runner's validation dead-letters it first, as schema.invalid; either way the partition moved on.
    expect(letters[0].headers[DlqHeaders.reason]).toMatch(/^db\.data_exception\.22021$|^schema\.invalid$/);
    expect(letters[1].headers[DlqHeaders.reason]).toBe('REPORT.UNKNOWN_CATEGORY');
    for (const letter of letters) {
      expect(letter.headers[DlqHeaders.detail]).not.toContain(REPORTER.phone);
      expect(letter.headers[DlqHeaders.detail]).not.toContain(REPORTER.name);
    }

    // Nothing applied twice: one submitted event per valid report, none for the poison.
    // Each valid report's event may sit on its own partition: read until every one is there, not only the last.
    const { events } = await sut.events((all) =>
      valid.every(({ data }) =>
        all.some(
          (e) =>
            e.type === EventTypes.reportSubmitted &&
            (e.data as { externalId?: string }).externalId === data.externalId,
        ),
      ),
    );
    const submitted = events
      .filter((e) => e.type === EventTypes.reportSubmitted)
      .map((e) => (e.data as { externalId?: string }).externalId);
    expect(submitted.sort()).toEqual(['HL-OK-1', 'HL-OK-2', 'HL-OK-3']);

    // Poison handled is no health problem: the service stays ready, and says so truthfully.
    const ready = await request(sut.http).get('/health/ready');
    expect(ready.status).toBe(200);
    for (const value of Object.values(REPORTER)) expect(sut.logs.text()).not.toContain(value);
  });
});
