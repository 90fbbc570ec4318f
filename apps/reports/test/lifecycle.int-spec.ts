import { EventTypes, type IocEvent } from '@ioc/contracts';
import request from 'supertest';
import sharp from 'sharp';
import { aJpegWithExif, PLANTED_IN_PHOTOS, POLYGLOT_TRAILER } from '../../../test/factories/reports';
import { type ReportsApp, startReportsApp } from './reports-app';

jest.setTimeout(90_000);

// Inside HP.2025.LE-CHAN (and, before the 2025 reform, HP.LE-CHAN.AN-BIEN) in the shipped data.
const LE_CHAN = { lat: 20.842, lon: 106.66 };
// Inside HP.2025.NGO-QUYEN.
const NGO_QUYEN = { lat: 20.86, lon: 106.7 };

const REPORTER = { name: 'Trần Thị Bảo Mật', phone: '+84 912 345 678', email: 'bao.mat@example.vn' };
const PERSONAL = [REPORTER.name, REPORTER.phone, REPORTER.email, '912 345 678'];

function expectNoPersonalData(text: string): void {
  for (const value of PERSONAL) expect(text).not.toContain(value);
}

describe('reports lifecycle through REST', () => {
  let sut: ReportsApp;

  beforeAll(async () => {
    sut = await startReportsApp();
  });

  afterAll(async () => {
    await sut?.close();
  });

  async function submit(body: Record<string, unknown>) {
    const response = await request(sut.http).post('/reports').send(body);
    expect(response.status).toBe(201);
    return response.body as { id: string; trackingCode: string; secret: string; status: string };
  }

  const eventsOf = async (reportId: string, count: number): Promise<IocEvent[]> => {
    const { events } = await sut.events((all) => all.filter((e) => e.subject === reportId).length >= count);
    return events.filter((e) => e.subject === reportId);
  };

  it('takes a report from submission to rating, with its events on the topic in order and no personal data anywhere', async () => {
    const receipt = await submit({
      categoryCode: 'sidewalk-encroachment',
      description: 'Quán nước lấn chiếm toàn bộ vỉa hè',
      location: LE_CHAN,
      addressText: '12 Tô Hiệu, Lê Chân',
      reporter: REPORTER,
    });
    expect(receipt).toMatchObject({
      status: 'assigned',
      trackingCode: expect.stringMatching(/^[0-9A-Z-]+$/),
    });
    expect(receipt.secret.length).toBeGreaterThanOrEqual(16);

    const ward = await sut.token('agency', 'AG-UBND-P-LE-CHAN');
    const otherAgency = await sut.token('agency', 'AG-UBND-P-NGO-QUYEN');
    const operator = await sut.token('operator');

    const own = await request(sut.http).get(`/agency/reports/${receipt.id}`).auth(ward, { type: 'bearer' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ agencyId: 'AG-UBND-P-LE-CHAN', reporter: REPORTER });
    expect(own.body.adminUnitCodes).toEqual(expect.arrayContaining(['HP.2025.LE-CHAN', 'HP']));

    // Another agency's report answers exactly like a missing one.
    for (const path of ['', '/acknowledge']) {
      const call = path
        ? request(sut.http).post(`/agency/reports/${receipt.id}${path}`)
        : request(sut.http).get(`/agency/reports/${receipt.id}`);
      const foreign = await call.auth(otherAgency, { type: 'bearer' });
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('REPORT.NOT_FOUND');
    }
    const missing = await request(sut.http)
      .get('/agency/reports/00000000-0000-4000-8000-000000000000')
      .auth(otherAgency, { type: 'bearer' });
    expect(missing.body.code).toBe('REPORT.NOT_FOUND');
    const foreignList = await request(sut.http).get('/agency/reports').auth(otherAgency, { type: 'bearer' });
    expect(foreignList.body.items.map((r: { id: string }) => r.id)).not.toContain(receipt.id);

    // Operators see every report but not the reporter's contact data.
    const asOperator = await request(sut.http)
      .get(`/operator/reports/${receipt.id}`)
      .auth(operator, { type: 'bearer' });
    expect(asOperator.status).toBe(200);
    expect(asOperator.body.reporter).toBeUndefined();

    for (const [action, body] of [
      ['acknowledge', {}],
      ['start', {}],
      ['comments', { text: 'Đã cử cán bộ kiểm tra' }],
      ['resolve', { answer: 'Đã giải tỏa, lập biên bản xử phạt' }],
    ] as const) {
      const done = await request(sut.http)
        .post(`/agency/reports/${receipt.id}/${action}`)
        .auth(ward, { type: 'bearer' })
        .send(body);
      expect(done.status).toBe(200);
    }

    const again = await request(sut.http)
      .post(`/agency/reports/${receipt.id}/acknowledge`)
      .auth(ward, { type: 'bearer' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'REPORT.INVALID_TRANSITION',
      details: { status: 'resolved', action: 'acknowledge' },
    });

    const wrongSecret = await request(sut.http)
      .post(`/reports/track/${receipt.trackingCode}/confirm`)
      .send({ secret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(403);
    expect(wrongSecret.body.code).toBe('REPORT.INVALID_SECRET');

    const confirmed = await request(sut.http)
      .post(`/reports/track/${receipt.trackingCode}/confirm`)
      .send({ secret: receipt.secret });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('closed');

    const rated = await request(sut.http)
      .post(`/reports/track/${receipt.trackingCode}/rate`)
      .send({ secret: receipt.secret, rating: 5, comment: 'Cảm ơn' });
    expect(rated.status).toBe(200);
    const ratedTwice = await request(sut.http)
      .post(`/reports/track/${receipt.trackingCode}/rate`)
      .send({ secret: receipt.secret, rating: 1 });
    expect(ratedTwice.status).toBe(409);
    expect(ratedTwice.body.code).toBe('REPORT.ALREADY_RATED');

    const tracked = await request(sut.http).get(`/reports/track/${receipt.trackingCode}`);
    expect(tracked.status).toBe(200);
    expect(tracked.body).toMatchObject({
      status: 'closed',
      answer: 'Đã giải tỏa, lập biên bản xử phạt',
      addressText: '12 Tô Hiệu, Lê Chân',
      rating: 5,
    });
    expect(tracked.body.timeline.map((line: { action: string }) => line.action)).toEqual([
      'submit',
      'assign',
      'acknowledge',
      'start',
      'resolve',
      'close',
      'rate',
    ]);
    // The internal note and the description are not public.
    expect(JSON.stringify(tracked.body)).not.toContain('Đã cử cán bộ kiểm tra');
    expect(JSON.stringify(tracked.body)).not.toContain('Quán nước');
    expect(tracked.body.secret).toBeUndefined();

    const events = await eventsOf(receipt.id, 7);
    expect(events.map((e) => e.type)).toEqual([
      EventTypes.reportSubmitted,
      EventTypes.reportAssigned,
      EventTypes.reportAcknowledged,
      EventTypes.reportStarted,
      EventTypes.reportResolved,
      EventTypes.reportClosed,
      EventTypes.reportRated,
    ]);
    expect(events[1].data).toMatchObject({
      agencyId: 'AG-UBND-P-LE-CHAN',
      assignedBy: 'routing-rule',
      categoryCode: 'sidewalk-encroachment',
      ackDueAt: expect.any(String),
      resolveDueAt: expect.any(String),
    });
    expect(events[5].data).toMatchObject({ closedBy: 'citizen', status: 'closed' });

    const { raw } = await sut.events(() => true);
    for (const record of raw) {
      expectNoPersonalData(String(record.value));
      expectNoPersonalData(JSON.stringify(record.headers));
    }
    expectNoPersonalData(JSON.stringify(tracked.body));
    expectNoPersonalData(sut.logs.text());
    expect(sut.logs.text()).toContain('"service":"reports"');
  });

  it('routes by the ward containing the point, the most specific rule winning, and links likely duplicates', async () => {
    const inLeChan = await submit({
      categoryCode: 'illegal-construction',
      description: 'Xây trái phép',
      location: LE_CHAN,
    });
    const inNgoQuyen = await submit({
      categoryCode: 'illegal-construction',
      description: 'Xây trái phép',
      location: NGO_QUYEN,
    });
    const lighting = await submit({
      categoryCode: 'street-lighting',
      description: 'Đèn hỏng',
      location: NGO_QUYEN,
    });
    const operator = await sut.token('operator');
    const agencyOf = async (id: string) =>
      (await request(sut.http).get(`/operator/reports/${id}`).auth(operator, { type: 'bearer' })).body
        .agencyId;
    expect(await agencyOf(inLeChan.id)).toBe('AG-UBND-P-LE-CHAN');
    expect(await agencyOf(inNgoQuyen.id)).toBe('AG-UBND-P-NGO-QUYEN');
    // No ward rule for lighting: the city-wide rule of the category applies.
    expect(await agencyOf(lighting.id)).toBe('AG-UT-CHIEU-SANG');

    // About 10 m from the open lighting report: linked as a likely duplicate, not routed.
    const again = await submit({
      categoryCode: 'street-lighting',
      description: 'Đèn đường không sáng',
      location: { lat: NGO_QUYEN.lat + 0.00009, lon: NGO_QUYEN.lon },
    });
    expect(again.status).toBe('duplicate');
    const linked = await request(sut.http)
      .get(`/operator/reports/${again.id}`)
      .auth(operator, { type: 'bearer' });
    expect(linked.body).toMatchObject({ duplicateOf: lighting.id, agencyId: null });
    const original = await request(sut.http)
      .get(`/operator/reports/${lighting.id}`)
      .auth(operator, { type: 'bearer' });
    expect(original.body.duplicateCount).toBe(1);
    const events = await eventsOf(again.id, 2);
    expect(events.map((e) => e.type)).toEqual([EventTypes.reportSubmitted, EventTypes.reportDuplicateLinked]);
    expect(events[1].data).toMatchObject({ duplicateOf: lighting.id, status: 'duplicate' });
    const dismissed = await request(sut.http)
      .post(`/operator/reports/${again.id}/duplicate/dismiss`)
      .auth(operator, { type: 'bearer' });
    expect(dismissed.body).toMatchObject({
      status: 'assigned',
      agencyId: 'AG-UT-CHIEU-SANG',
      duplicateOf: null,
    });
  });

  it('reopens within the window back to the agency, sends a declined report to triage and lets operators assign and reject', async () => {
    const receipt = await submit({
      categoryCode: 'street-lighting',
      description: 'Đèn tắt cả tuyến',
      location: { lat: 20.858, lon: 106.71 },
    });
    const lighting = await sut.token('agency', 'AG-UT-CHIEU-SANG');
    const transport = await sut.token('agency', 'AG-SGTVT');
    const operator = await sut.token('operator');
    const act = (token: string, path: string, body: object = {}) =>
      request(sut.http).post(`${path}`).auth(token, { type: 'bearer' }).send(body);

    expect((await act(lighting, `/agency/reports/${receipt.id}/acknowledge`)).status).toBe(200);
    expect(
      (await act(lighting, `/agency/reports/${receipt.id}/resolve`, { answer: 'Đã thay bóng' })).status,
    ).toBe(200);
    const reopened = await request(sut.http)
      .post(`/reports/track/${receipt.trackingCode}/reopen`)
      .send({ secret: receipt.secret, reason: 'Vẫn còn tối' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.status).toBe('assigned');
    expect(reopened.body.answer).toBeNull();

    const declined = await act(lighting, `/agency/reports/${receipt.id}/decline`, {
      reason: 'Cáp ngầm của điện lực',
    });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'declined', agencyId: null });
    const gone = await request(sut.http)
      .get(`/agency/reports/${receipt.id}`)
      .auth(lighting, { type: 'bearer' });
    expect(gone.status).toBe(404);

    const triage = await request(sut.http).get('/operator/reports/triage').auth(operator, { type: 'bearer' });
    expect(triage.body.items.map((r: { id: string }) => r.id)).toContain(receipt.id);

    const unknownAgency = await act(operator, `/operator/reports/${receipt.id}/assign`, {
      agencyId: 'AG-NOPE',
    });
    expect(unknownAgency.status).toBe(400);
    expect(unknownAgency.body.code).toBe('REPORT.UNKNOWN_AGENCY');
    const assigned = await act(operator, `/operator/reports/${receipt.id}/assign`, { agencyId: 'AG-SGTVT' });
    expect(assigned.body).toMatchObject({ status: 'assigned', agencyId: 'AG-SGTVT' });
    expect(
      (await request(sut.http).get(`/agency/reports/${receipt.id}`).auth(transport, { type: 'bearer' }))
        .status,
    ).toBe(200);

    const rejected = await act(operator, `/operator/reports/${receipt.id}/reject`, {
      kind: 'out-of-scope',
      reason: 'Thuộc điện lực',
    });
    expect(rejected.body.status).toBe('rejected');
    const late = await act(transport, `/agency/reports/${receipt.id}/acknowledge`);
    expect(late.status).toBe(404);

    const events = await eventsOf(receipt.id, 9);
    expect(events.map((e) => e.type)).toEqual([
      EventTypes.reportSubmitted,
      EventTypes.reportAssigned,
      EventTypes.reportAcknowledged,
      EventTypes.reportResolved,
      EventTypes.reportReopened,
      EventTypes.reportAssigned,
      EventTypes.reportDeclined,
      EventTypes.reportAssigned,
      EventTypes.reportRejected,
    ]);
    expect(events[4].data).toMatchObject({ reopenCount: 1, status: 'reopened' });
    expect(events[6].data).toMatchObject({ agencyId: 'AG-UT-CHIEU-SANG', status: 'declined' });
    expect(events[7].data).toMatchObject({ agencyId: 'AG-SGTVT', assignedBy: 'operator' });
  });

  it("publishes the answer's photos with the answer, stripped of their metadata", async () => {
    const receipt = await submit({
      categoryCode: 'trees',
      description: 'Cành cây gãy',
      location: { lat: 20.83, lon: 106.75 },
    });
    const trees = await sut.token('agency', 'AG-UT-CAY-XANH');
    const acknowledged = await request(sut.http)
      .post(`/agency/reports/${receipt.id}/acknowledge`)
      .auth(trees, { type: 'bearer' });
    expect(acknowledged.status).toBe(200);
    const resolved = await request(sut.http)
      .post(`/agency/reports/${receipt.id}/resolve`)
      .auth(trees, { type: 'bearer' })
      .field('answer', 'Đã cắt tỉa')
      .attach('photos', Buffer.concat([await aJpegWithExif(), POLYGLOT_TRAILER]), {
        filename: 'after.jpg',
        contentType: 'image/jpeg',
      });
    expect(resolved.status).toBe(200);

    const tracked = await request(sut.http).get(`/reports/track/${receipt.trackingCode}`);
    expect(tracked.body).toMatchObject({ status: 'resolved', answer: 'Đã cắt tỉa', answerPhotoCount: 1 });
    const photo = await request(sut.http)
      .get(`/reports/track/${receipt.trackingCode}/answer-photos/0`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    // Public: nothing of the uploaded file but its pixels, upright (40 × 20 with orientation 6).
    const served = (photo.body as Buffer).toString('latin1');
    for (const planted of [...PLANTED_IN_PHOTOS, 'PK\x03\x04', '<script', 'Exif'])
      expect(served).not.toContain(planted);
    expect(await sharp(photo.body as Buffer).metadata()).toMatchObject({
      format: 'jpeg',
      width: 20,
      height: 40,
    });
    const none = await request(sut.http).get(`/reports/track/${receipt.trackingCode}/answer-photos/1`);
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('REPORT.PHOTO_NOT_FOUND');
  });

  it('refuses unauthenticated and wrong-role callers with the common error body', async () => {
    const citizen = await sut.token('citizen');
    const agency = await sut.token('agency', 'AG-SGTVT');
    const anonymous = await request(sut.http).get('/agency/reports');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toEqual(expect.any(String));
    const wrongRole = await request(sut.http).get('/agency/reports').auth(citizen, { type: 'bearer' });
    expect(wrongRole.status).toBe(403);
    const notOperator = await request(sut.http)
      .get('/operator/reports/triage')
      .auth(agency, { type: 'bearer' });
    expect(notOperator.status).toBe(403);
    const forged = await request(sut.http).get('/operator/reports').auth(`${agency}x`, { type: 'bearer' });
    expect(forged.status).toBe(401);
  });
});
