import { encodeKafkaMessage, EventTypes } from '@ioc/contracts';
import { waitFor } from '@ioc/testing';
import {
  CITY,
  KpiWorld,
  Topics,
  cameraStatus,
  incident,
  observation,
  resolved,
  submitted,
  type ValueBody,
} from './fixtures/kpi-harness';

// Source events → the KPI projection → REST values and ioc.kpi.updated.v1, with numbers worked out by hand.
// Every case uses its own month (all long past), so the cases do not see each other's events.

const at = (iso: string) => new Date(iso);
const hours = (n: number) => n * 3_600_000;

describe('kpi: live projection from the source topics', () => {
  const world = new KpiWorld();
  let agencyToken: string;

  const cityValue = async (kpi: string, period: string, when: string, accept: (v: ValueBody) => boolean) => {
    const body = await world.until<{ items: ValueBody[] }>(
      `/kpis/values?period=${period}&at=${when}&kpi=${kpi}&dimensionKind=city&dimensionCode=${CITY}`,
      (b) => b.items.length === 1 && accept(b.items[0]),
      `${kpi} ${period} at ${when}`,
    );
    return body.items[0];
  };

  beforeAll(async () => {
    await world.setUp();
    agencyToken = await world.token({ subject: 'ag-1', roles: ['agency'], agencyId: 'AG-SGTVT' });
  }, 120_000);

  afterAll(() => world.tearDown());

  it('gives 215 answered of 395 submitted as 54.43%, and publishes it keyed by KPI, dimension and period', async () => {
    const day = (i: number) => at(`2026-03-${String(2 + (i % 20)).padStart(2, '0')}T03:00:00Z`);
    const subs = Array.from({ length: 395 }, (_, i) => submitted(day(i)));
    const answers = Array.from({ length: 215 }, (_, i) => resolved(day(i)));
    await world.send(Topics.reportsEvents, [...subs, ...answers]);

    const value = await cityValue(
      'report-answered-share',
      'month',
      '2026-03-15T00:00:00Z',
      (v) => v.sampleCount === 610,
    );
    // 215 / 395 = 0.544303…
    expect(value.value).toBeCloseTo(54.4304, 3);
    expect(value.periodStart).toBe('2026-02-28T17:00:00.000Z'); // 1 March, local midnight (UTC+7)
    expect(value.projection).toMatchObject({ basis: 'final', elapsedShare: 1 });
    expect(value.status).toBe('off-track'); // target 80, at-risk from 70

    const subject = `report-answered-share:city:${CITY}:month:2026-02-28T17:00:00.000Z`;
    const published = await waitFor(
      () =>
        world.updates(subject).find((e) => e.type === EventTypes.kpiUpdated && e.data.sampleCount === 610),
      { what: 'the final update', timeoutMs: 30_000 },
    );
    expect(published.data).toMatchObject({
      value: 54.43038,
      period: 'month',
      lateCount: 0,
      direction: 'at-least',
    });
  });

  it('changes nothing for a duplicate event', async () => {
    const events = Array.from({ length: 4 }, (_, i) => resolved(at(`2026-09-0${i + 1}T03:00:00Z`)));
    await world.send(Topics.reportsEvents, events);
    await cityValue('report-on-time-share', 'month', '2026-09-15T00:00:00Z', (v) => v.sampleCount === 4);
    // The same ids again, then one new event: once that one counts, the duplicates have been seen.
    await world.send(Topics.reportsEvents, events);
    await world.send(Topics.reportsEvents, [resolved(at('2026-09-10T03:00:00Z'))]);
    const value = await cityValue(
      'report-on-time-share',
      'month',
      '2026-09-15T00:00:00Z',
      (v) => v.sampleCount >= 5,
    );
    expect(value.sampleCount).toBe(5);
    expect(value.value).toBe(100);
  });

  it('books an event at 23:30 UTC on the last day of a month in the next local day and month', async () => {
    // resolved on time (due in an hour) at 2026-04-30T23:30Z = 1 May 06:30 in Hải Phòng; and one late in April
    await world.send(Topics.reportsEvents, [
      resolved(at('2026-04-30T23:30:00Z')),
      resolved(at('2026-04-20T03:00:00Z'), { resolveDueAt: '2026-04-20T02:00:00.000Z' }),
    ]);
    const may = await cityValue(
      'report-on-time-share',
      'month',
      '2026-05-10T00:00:00Z',
      (v) => v.sampleCount === 1,
    );
    expect(may.value).toBe(100);
    expect(may.periodStart).toBe('2026-04-30T17:00:00.000Z');
    const april = await cityValue(
      'report-on-time-share',
      'month',
      '2026-04-10T00:00:00Z',
      (v) => v.sampleCount === 1,
    );
    expect(april.value).toBe(0);
    const mayFirst = await cityValue(
      'report-on-time-share',
      'day',
      '2026-05-01T00:00:00Z',
      (v) => v.sampleCount === 1,
    );
    expect(mayFirst.periodStart).toBe('2026-04-30T17:00:00.000Z');
  });

  it('updates a bucket from an event inside the grace period and counts a later one as late', async () => {
    // The local day 15 June ends at 2026-06-15T17:00Z; grace 2 h.
    const eventAt = at('2026-06-15T10:00:00Z');
    await world.send(Topics.reportsEvents, [resolved(eventAt)], at('2026-06-15T18:30:00Z')); // inside grace
    await world.send(Topics.reportsEvents, [resolved(eventAt)], at('2026-06-15T19:30:00Z')); // past it
    const day = await cityValue(
      'report-on-time-share',
      'day',
      '2026-06-15T10:00:00Z',
      (v) => v.lateCount === 1,
    );
    expect(day).toMatchObject({ sampleCount: 1, lateCount: 1, value: 100 });
    // The month is still open for both.
    const month = await cityValue(
      'report-on-time-share',
      'month',
      '2026-06-15T10:00:00Z',
      (v) => v.sampleCount === 2,
    );
    expect(month.lateCount).toBe(0);
  });

  it('reads percentiles from the histogram: 1…9 hours to resolve give a median of 5 and a p90 of 9', async () => {
    const events = Array.from({ length: 9 }, (_, i) => {
      const resolvedAt = at(`2026-07-10T0${i}:00:00Z`);
      return resolved(resolvedAt, {
        submittedAt: new Date(resolvedAt.getTime() - hours(i + 1)).toISOString(),
      });
    });
    await world.send(Topics.reportsEvents, events);
    const median = await cityValue(
      'report-resolution-hours-median',
      'month',
      '2026-07-10T00:00:00Z',
      (v) => v.sampleCount === 9,
    );
    const p90 = await cityValue(
      'report-resolution-hours-p90',
      'month',
      '2026-07-10T00:00:00Z',
      (v) => v.sampleCount === 9,
    );
    // Buckets are 2% wide: the value read back is within 1% of the true one.
    expect(Math.abs((median.value ?? 0) - 5) / 5).toBeLessThan(0.01);
    expect(Math.abs((p90.value ?? 0) - 9) / 9).toBeLessThan(0.01);
    expect(median.status).toBe('on-track'); // target at most 48 h
  });

  it('composes a pillar index from its inputs normalised against their targets', async () => {
    // online 48% of 60 → 80; fully online 50% of 50 → 100; on-time dossiers 99% of 98 → 100 (capped);
    // report on-time share has no value in August 2026 → left out. (80 + 100 + 100) / 3 = 93.33
    const t = at('2026-08-05T03:00:00Z');
    await world.send(Topics.kpiObservations, [
      observation('online-dossier-share', 48, t),
      observation('fully-online-dossier-share', 50, t),
      observation('dossier-on-time-share', 99, t),
    ]);
    const pillar = await cityValue(
      'pillar-digital-government',
      'month',
      '2026-08-10T00:00:00Z',
      (v) => v.sampleCount === 3,
    );
    expect(pillar.value).toBeCloseTo(93.333, 2);
    expect(pillar.status).toBe('on-track'); // target 90
    const index = await cityValue(
      'digital-transformation-index',
      'month',
      '2026-08-10T00:00:00Z',
      (v) => v.sampleCount === 3,
    );
    // The only pillar with a value, 93.33 against its target of 90: 100 (capped).
    expect(index.value).toBe(100);
  });

  it('measures camera uptime as a time share, open intervals up to the end of the period', async () => {
    // Online 00:00–06:00, offline 06:00–12:00, online since 12:00 local on 3 October: 18 of 24 hours = 75%.
    const local = (h: number) => new Date(Date.UTC(2026, 9, 2, 17 + h));
    await world.send(Topics.camerasStatus, [
      cameraStatus('CAM-T1', 'online', local(0)),
      cameraStatus('CAM-T1', 'offline', local(6)),
      cameraStatus('CAM-T1', 'online', local(12)),
    ]);
    const day = await cityValue('camera-uptime', 'day', local(1).toISOString(), (v) => v.sampleCount === 3);
    expect(day.value).toBeCloseTo(75, 6);
  });

  it('gauges open incidents by severity from the latest state of each incident, whatever the order', async () => {
    // Opened: high h1, h2 (Hồng Bàng), h3 (Gia Viên); critical c1 (Hồng Bàng), c2 (Gia Viên). Then h2 is
    // cleared (its clearing arrives before its opening, which is older and changes nothing), c2 is downgraded
    // to high, h1 acknowledged and h3 assigned (still open). Open now: high h1, h3, c2 = 3 (Hồng Bàng 1,
    // Gia Viên 2); critical c1 = 1 (Hồng Bàng 1, Gia Viên 0: +1 then −1).
    const [hb, gv] = ['HP.HONG-BANG', 'HP.2025.GIA-VIEN'];
    const t = (hhmm: string) => at(`2026-10-05T${hhmm}:00Z`);
    const { incidentOpened: opened, incidentUpdated: updated, incidentCleared: cleared } = EventTypes;
    await world.send(Topics.incidentsEvents, [
      incident(opened, 'g-h1', { severity: 'high', unit: hb, at: t('03:00') }),
      incident(cleared, 'g-h2', { severity: 'high', unit: hb, at: t('05:00') }),
      incident(opened, 'g-h2', { severity: 'high', unit: hb, at: t('03:10') }),
      incident(opened, 'g-h3', { severity: 'high', unit: gv, at: t('03:20') }),
      incident(opened, 'g-c1', { severity: 'critical', unit: hb, at: t('03:30') }),
      incident(opened, 'g-c2', { severity: 'critical', unit: gv, at: t('03:40') }),
      incident(updated, 'g-c2', { severity: 'high', unit: gv, at: t('06:00') }),
      incident(EventTypes.incidentAcknowledged, 'g-h1', { severity: 'high', unit: hb, at: t('07:00') }),
      incident(EventTypes.incidentAssigned, 'g-h3', { severity: 'high', unit: gv, at: t('07:30') }),
    ]);
    const when = '2026-10-20T00:00:00Z';
    // 9 changes, each a sample of both gauges in the city (the opening of g-h2 too, applied or not).
    const high = await cityValue('incidents-open-high', 'month', when, (v) => v.sampleCount === 9);
    expect(high.value).toBe(3);
    expect(high.projection).toMatchObject({ value: 3, basis: 'final' });
    const critical = await cityValue('incidents-open-critical', 'month', when, (v) => v.sampleCount === 9);
    expect(critical.value).toBe(1);
    const unit = async (kpi: string, code: string) => {
      const res = await world.get(
        `/kpis/values?period=month&at=${when}&kpi=${kpi}&dimensionKind=unit&dimensionCode=${code}`,
      );
      return (res.body as { items: ValueBody[] }).items[0]?.value;
    };
    expect([await unit('incidents-open-high', hb), await unit('incidents-open-high', gv)]).toEqual([1, 2]);
    expect([await unit('incidents-open-critical', hb), await unit('incidents-open-critical', gv)]).toEqual([
      1, 0,
    ]);
    // The day holds the same level: 5 October ends with 3 high incidents open.
    const day = await cityValue('incidents-open-high', 'day', '2026-10-05T10:00:00Z', () => true);
    expect(day.value).toBe(3);
  });

  it('scopes an agency to its own agency dimension', async () => {
    const when = '2026-03-15T00:00:00Z';
    await world.until<{ items: ValueBody[] }>(
      `/kpis/values?period=month&at=${when}&kpi=report-on-time-share&dimensionKind=agency`,
      (b) => b.items.length > 0,
    );
    await world.send(Topics.reportsEvents, [
      resolved(at('2026-03-03T03:00:00Z'), { agencyId: 'AG-UBND-TP' }),
    ]);
    await world.until<{ items: ValueBody[] }>(
      `/kpis/values?period=month&at=${when}&kpi=report-on-time-share&dimensionKind=agency&dimensionCode=AG-UBND-TP`,
      (b) => b.items.length === 1,
    );

    const own = await world.get(`/kpis/values?period=month&at=${when}&kpi=report-on-time-share`, agencyToken);
    expect(own.status).toBe(200);
    const items = (own.body as { items: ValueBody[] }).items;
    expect(items.length).toBe(1);
    expect(items[0].dimension).toEqual({ kind: 'agency', code: 'AG-SGTVT' });

    const other = await world.get(
      `/kpis/report-on-time-share/history?period=month&at=${when}&dimensionKind=agency&dimensionCode=AG-UBND-TP`,
      agencyToken,
    );
    expect(other.status).toBe(404);
    const city = await world.get(`/kpis/report-on-time-share/history?period=month&at=${when}`, agencyToken);
    expect(city.status).toBe(404);
    const byUnit = await world.get(
      `/kpis/report-on-time-share/ranking?period=month&at=${when}&dimensionKind=unit`,
      agencyToken,
    );
    expect(byUnit.status).toBe(404);
    const byAgency = await world.get(
      `/kpis/report-on-time-share/ranking?period=month&at=${when}&dimensionKind=agency`,
      agencyToken,
    );
    expect((byAgency.body as { items: ValueBody[] }).items.map((v) => v.dimension.code)).toEqual([
      'AG-SGTVT',
    ]);

    const ranking = await world.get(
      `/kpis/report-on-time-share/ranking?period=month&at=${when}&dimensionKind=agency`,
    );
    expect((ranking.body as { items: ValueBody[] }).items.map((v) => v.rank)).toEqual([1, 2]);
  });

  it('answers the history of a KPI oldest first', async () => {
    const res = await world.get(
      `/kpis/report-on-time-share/history?period=month&at=2026-09-15T00:00:00Z&limit=12`,
    );
    expect(res.status).toBe(200);
    const items = (res.body as { items: ValueBody[] }).items;
    expect(items.map((v) => v.periodStart)).toEqual([...items.map((v) => v.periodStart)].sort());
    expect(items.length).toBeGreaterThanOrEqual(4);
  });

  it('dead-letters an observation of an unknown KPI and an invalid event, and goes on', async () => {
    await world.send(Topics.kpiObservations, [observation('no-such-kpi', 1, at('2026-11-01T00:00:00Z'))]);
    // A valid envelope whose data breaks the schema: a value that is no number.
    const good = encodeKafkaMessage(
      observation('fibre-household-share', 72, at('2026-11-01T00:00:00Z')),
      'binary',
    );
    await world.publishRaw(Topics.kpiObservations, [
      { ...good, value: JSON.stringify({ ...JSON.parse(good.value.toString('utf8')), value: 'x' }) },
    ]);
    await waitFor(() => world.deadLetters('KPI.UNKNOWN_KPI').length === 1, {
      what: 'unknown KPI dead letter',
    });
    await waitFor(() => world.deadLetters('schema.invalid').length === 1, {
      what: 'invalid schema dead letter',
    });
  });
});
