import { EventTypes } from '@ioc/contracts';
import { qualifiedTable } from '@ioc/database';
import request from 'supertest';
import { SlaService } from '../src/sla/sla.service';
import { type ReportsApp, startReportsApp } from './reports-app';

jest.setTimeout(120_000);

const POINT = { lat: 20.86, lon: 106.7 };
const HOUR = 3_600_000;

describe('SLA sweep', () => {
  let sut: ReportsApp;

  beforeAll(async () => {
    sut = await startReportsApp();
  });

  afterAll(async () => {
    await sut?.close();
  });

  // Each report ~55 m from the others, beyond the category's duplicate radius.
  const submit = async (
    description: string,
    spread: number,
  ): Promise<{ id: string; trackingCode: string; secret: string }> => {
    const response = await request(sut.http)
      .post('/reports')
      .send({
        categoryCode: 'traffic-signals',
        description,
        location: { lat: POINT.lat + spread * 0.0005, lon: POINT.lon },
      });
    expect(response.status).toBe(201);
    return response.body;
  };

  it('announces each breached deadline exactly once while several sweepers run at the same time', async () => {
    const reports = await Promise.all(
      Array.from({ length: 30 }, (_, i) => submit(`Đèn tín hiệu hỏng ${i}`, i)),
    );
    const ids = reports.map((report) => report.id);
    // The acknowledgement deadline passed an hour ago for all of them.
    await sut.dataSource.query(
      `UPDATE ${qualifiedTable(sut.dataSource, 'reports')} SET ack_due_at = now() - interval '1 hour'
       WHERE id = ANY($1::uuid[])`,
      [ids],
    );

    const sla = sut.app.get(SlaService);
    const results = await Promise.all(Array.from({ length: 4 }, () => sla.sweep()));
    expect(results.reduce((sum, result) => sum + result.ackOverdue, 0)).toBe(30);
    expect((await sla.sweep()).ackOverdue).toBe(0);

    const { events } = await sut.events(
      (all) => all.filter((e) => e.type === EventTypes.reportOverdue && ids.includes(e.subject)).length >= 30,
    );
    const overdue = events.filter((e) => e.type === EventTypes.reportOverdue && ids.includes(e.subject));
    expect(overdue).toHaveLength(30);
    expect(new Set(overdue.map((e) => e.subject)).size).toBe(30);
    expect(overdue[0].data).toMatchObject({
      breach: 'acknowledge',
      status: 'assigned',
      agencyId: 'AG-SGTVT',
    });

    const operator = await sut.token('operator');
    const view = await request(sut.http)
      .get(`/operator/reports/${ids[0]}`)
      .auth(operator, { type: 'bearer' });
    expect(view.body).toMatchObject({ ackOverdue: true, resolveOverdue: false });
  });

  it('announces a missed resolution deadline once, and none for a report resolved in time', async () => {
    const late = await submit('Đèn đỏ không tắt', 50);
    const onTime = await submit('Đèn xanh quá ngắn', 52);
    const agency = await sut.token('agency', 'AG-SGTVT');
    for (const id of [late.id, onTime.id]) {
      const acknowledged = await request(sut.http)
        .post(`/agency/reports/${id}/acknowledge`)
        .auth(agency, { type: 'bearer' });
      expect(acknowledged.status).toBe(200);
    }
    const resolved = await request(sut.http)
      .post(`/agency/reports/${onTime.id}/resolve`)
      .auth(agency, { type: 'bearer' })
      .send({ answer: 'Đã chỉnh chu kỳ' });
    expect(resolved.status).toBe(200);
    await sut.dataSource.query(
      `UPDATE ${qualifiedTable(sut.dataSource, 'reports')} SET resolve_due_at = now() - interval '1 minute'
       WHERE id = ANY($1::uuid[])`,
      [[late.id, onTime.id]],
    );
    const sla = sut.app.get(SlaService);
    const results = await Promise.all([sla.sweep(), sla.sweep()]);
    expect(results.reduce((sum, result) => sum + result.resolveOverdue, 0)).toBe(1);

    const { events } = await sut.events((all) =>
      all.some((e) => e.subject === late.id && e.type === EventTypes.reportOverdue),
    );
    const overdue = events.filter(
      (e) => e.type === EventTypes.reportOverdue && [late.id, onTime.id].includes(e.subject),
    );
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({
      subject: late.id,
      data: { breach: 'resolve', status: 'acknowledged' },
    });
  });

  it('closes a resolved report the citizen left unanswered past the confirmation window, once', async () => {
    const report = await submit('Đèn vàng nhấp nháy cả ngày', 40);
    const agency = await sut.token('agency', 'AG-SGTVT');
    for (const [action, body] of [
      ['acknowledge', {}],
      ['resolve', { answer: 'Đã sửa bộ điều khiển' }],
    ] as const) {
      const done = await request(sut.http)
        .post(`/agency/reports/${report.id}/${action}`)
        .auth(agency, { type: 'bearer' })
        .send(body);
      expect(done.status).toBe(200);
    }
    await sut.dataSource.query(
      `UPDATE ${qualifiedTable(sut.dataSource, 'reports')} SET resolved_at = $2 WHERE id = $1`,
      [report.id, new Date(Date.now() - 8 * 24 * HOUR)],
    );
    const sla = sut.app.get(SlaService);
    const [first, second] = await Promise.all([sla.sweep(), sla.sweep()]);
    expect(first.autoClosed + second.autoClosed).toBe(1);

    const tracked = await request(sut.http).get(`/reports/track/${report.trackingCode}`);
    expect(tracked.body.status).toBe('closed');
    // Past the reopen window the citizen can no longer reopen it.
    const reopen = await request(sut.http)
      .post(`/reports/track/${report.trackingCode}/reopen`)
      .send({ secret: report.secret, reason: 'Vẫn hỏng' });
    expect(reopen.status).toBe(409);
    expect(reopen.body.code).toBe('REPORT.REOPEN_WINDOW_CLOSED');

    const { events } = await sut.events((all) =>
      all.some((e) => e.subject === report.id && e.type === EventTypes.reportClosed),
    );
    const closed = events.filter((e) => e.subject === report.id && e.type === EventTypes.reportClosed);
    expect(closed).toHaveLength(1);
    expect(closed[0].data).toMatchObject({ closedBy: 'system' });
  });
});
