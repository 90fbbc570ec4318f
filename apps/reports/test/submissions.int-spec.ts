import request from 'supertest';
import { createEvent, encodeKafkaMessage, EventTypes, submissionSubject, Topics } from '@ioc/contracts';
import { qualifiedTable } from '@ioc/database';
import { DlqHeaders } from '@ioc/messaging';
import { waitFor } from '@ioc/testing';
import { type ReportsApp, startReportsApp } from './reports-app';

jest.setTimeout(120_000);

const REPORTER = { name: 'Phạm Văn Kín', phone: '0987 654 321', email: 'kin@example.vn' };

function submission(externalId: string, overrides: Record<string, unknown> = {}) {
  const data = {
    channel: 'hotline' as const,
    externalId,
    categoryCode: 'drainage-flooding',
    description: 'Ngập sâu sau mưa',
    location: { lat: 20.842, lon: 106.66 },
    addressText: 'Ngõ 5 Hàng Kênh',
    reporter: REPORTER,
    ...overrides,
  };
  return createEvent(EventTypes.reportSubmission, {
    source: '/ioc/hotline',
    subject: submissionSubject('hotline', externalId),
    data,
  });
}

describe('report submissions from other channels', () => {
  let sut: ReportsApp;

  beforeAll(async () => {
    sut = await startReportsApp();
  });

  afterAll(async () => {
    await sut?.close();
  });

  const reportsWithExternalId = (externalId: string) =>
    sut.dataSource.query<{ id: string; agency_id: string; reporter_phone: string }[]>(
      `SELECT r.id, r.agency_id, r.reporter_phone FROM ${qualifiedTable(sut.dataSource, 'reports')} r
       JOIN ${qualifiedTable(sut.dataSource, 'external_ids')} x ON x.report_id = r.id WHERE x.external_id = $1`,
      [externalId],
    );

  it('registers a channel report once, however often the channel re-sends it', async () => {
    // Three sends: a redelivery of one event id, and a re-send of the same report under a new event id.
    const first = submission('HL-2026-0001');
    const resent = submission('HL-2026-0001');
    await sut.world.publish(Topics.reportsSubmissions, [first, first, resent]);

    const rows = await waitFor(async () => {
      const found = await reportsWithExternalId('HL-2026-0001');
      return found.length > 0 && found;
    });
    // The drainage rule of the city applies; the contact data stays with the report.
    expect(rows).toEqual([
      { id: expect.any(String), agency_id: 'AG-UT-THOAT-NUOC', reporter_phone: REPORTER.phone },
    ]);

    const { events, raw } = await sut.events((all) =>
      all.some((e) => e.subject === rows[0].id && e.type === EventTypes.reportAssigned),
    );
    const mine = events.filter((e) => e.subject === rows[0].id);
    expect(mine.map((e) => e.type)).toEqual([EventTypes.reportSubmitted, EventTypes.reportAssigned]);
    expect(mine[0].data).toMatchObject({ channel: 'hotline', externalId: 'HL-2026-0001' });
    for (const record of raw)
      for (const value of Object.values(REPORTER))
        expect(String(record.value) + JSON.stringify(record.headers)).not.toContain(value);

    // Give the re-send time to be consumed: it is committed once a later message is applied.
    await sut.world.publish(Topics.reportsSubmissions, [submission('HL-2026-0002')]);
    await waitFor(async () => (await reportsWithExternalId('HL-2026-0002')).length === 1);
    expect(await reportsWithExternalId('HL-2026-0001')).toHaveLength(1);
    for (const value of Object.values(REPORTER)) expect(sut.logs.text()).not.toContain(value);
  });

  it('dead-letters a submission the rules refuse, and one that is not a valid event, with the reason', async () => {
    const unknownCategory = encodeKafkaMessage(
      submission('HL-BAD-1', { categoryCode: 'ufo-sighting' }),
      'binary',
    );
    const outside = encodeKafkaMessage(
      submission('HL-BAD-2', { location: { lat: 21.9, lon: 105.1 } }),
      'binary',
    );
    await sut.world.publishRaw(Topics.reportsSubmissions, [
      unknownCategory,
      outside,
      { key: 'hotline:HL-BAD-3', value: Buffer.from('{"not":"an event"'), headers: {} },
    ]);
    const letters = await sut.read(Topics.dlq, (records) => records.length >= 3);
    const reasons = letters.map((letter) => letter.headers[DlqHeaders.reason]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'REPORT.UNKNOWN_CATEGORY',
        'REPORT.OUTSIDE_CITY',
        expect.stringMatching(/^payload\.|^envelope\./),
      ]),
    );
    for (const letter of letters) {
      expect(letter.headers[DlqHeaders.consumer]).toEqual(expect.any(String));
      // The value is the original bytes (hence ioc.dlq's retention); no header may repeat the reporter's data.
      for (const value of Object.values(REPORTER))
        expect(JSON.stringify(letter.headers)).not.toContain(value);
    }
    // Nor may the log lines or the metric labels written while refusing them.
    const metrics = await request(sut.http).get('/metrics');
    expect(metrics.status).toBe(200);
    for (const value of Object.values(REPORTER)) {
      expect(sut.logs.text()).not.toContain(value);
      expect(metrics.text).not.toContain(value);
    }
    expect(await reportsWithExternalId('HL-BAD-1')).toHaveLength(0);
    expect(await reportsWithExternalId('HL-BAD-2')).toHaveLength(0);
  });
});
