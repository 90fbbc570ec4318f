import path from 'node:path';
import { createEvent, EventTypes } from '@ioc/contracts';
import { loadCityData } from '@ioc/reference-data';
import fc from 'fast-check';
import { KpiCatalog } from '../catalog/kpi-catalog';
import { aggregateKeyString, emptyState, mergeInto } from './aggregate';
import { type ArrivedEvent, fold } from './fold';

const settings = { timeZone: 'Asia/Ho_Chi_Minh', graceMs: 2 * 3_600_000 };

function resolvedAt(minute: number, onTime: boolean): ArrivedEvent {
  const at = new Date(Date.UTC(2026, 2, 1) + minute * 60_000);
  const event = createEvent(EventTypes.reportResolved, {
    source: '/ioc/reports',
    subject: `r-${minute}`,
    data: {
      reportId: `r-${minute}`,
      trackingCode: 'HP-0001',
      status: 'resolved',
      categoryCode: 'roads-pavements',
      adminUnitCodes: ['HP.HONG-BANG'],
      location: { lat: 20.86, lon: 106.68 },
      channel: 'web',
      submittedAt: new Date(at.getTime() - 3_600_000).toISOString(),
      occurredAt: at.toISOString(),
      agencyId: 'AG-SGTVT',
      answerSummary: 'Fixed',
      resolveDueAt: new Date(at.getTime() + (onTime ? 1 : -1) * 60_000).toISOString(),
    },
  });
  return { event, arrivedAt: at };
}

describe(fold.name, () => {
  let catalog: KpiCatalog;

  beforeAll(async () => {
    const data = await loadCityData(path.resolve(__dirname, '../../../../data/cities/hai-phong'));
    catalog = new KpiCatalog(data.city.code, data.kpis);
  });

  it('keeps one histogram for the percentiles of one feed, and counts the samples of each', () => {
    expect(catalog.histogramOf('report-resolution-hours-p90')).toBe('report-resolution-hours-median');
    expect(catalog.histogramOf('report-resolution-hours-median')).toBe('report-resolution-hours-median');
    const { deltas } = fold(catalog, [resolvedAt(0, true), resolvedAt(1, false)], settings);
    const cityMonth = (kpiCode: string) =>
      deltas
        .sorted()
        .find((d) => d.kpiCode === kpiCode && d.period === 'month' && d.dimensionKind === 'city');
    expect(cityMonth('report-resolution-hours-median')).toMatchObject({ n: 2, samples: 2 });
    expect([...(cityMonth('report-resolution-hours-median')?.histogram.values() ?? [])]).toEqual([2]);
    expect(cityMonth('report-resolution-hours-p90')).toMatchObject({ n: 2, samples: 2 });
    expect(cityMonth('report-resolution-hours-p90')?.histogram.size).toBe(0);
  });

  it('gives a percentile whose feed differs its own histogram', () => {
    const [median] = catalog.kpis.filter((k) => k.code === 'report-resolution-hours-median');
    const other = { ...median, code: 'median-by-unit-only', dimensions: { unit: 'adminUnitCodes' } };
    const extended = new KpiCatalog(catalog.cityCode, [...catalog.kpis, other]);
    expect(extended.histogramOf('median-by-unit-only')).toBe('median-by-unit-only');
  });

  it('counts an on-time and a late resolution in the numerator and denominator of the on-time share', () => {
    const { deltas } = fold(catalog, [resolvedAt(0, true), resolvedAt(1, false)], settings);
    const month = deltas
      .sorted()
      .find(
        (d) => d.kpiCode === 'report-on-time-share' && d.period === 'month' && d.dimensionKind === 'city',
      );
    expect(month).toMatchObject({ num: 1, den: 2, samples: 2, late: 0 });
  });

  it('ends at the same aggregates whatever the order and chunking of the events (a replay equals the live run)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 * 24 * 40 }), fc.boolean()), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 7 }),
        (specs, chunk) => {
          const events = specs.map(([minute, onTime]) => resolvedAt(minute, onTime));
          const whole = fold(catalog, events, settings).deltas.sorted();
          const shuffled = [...events].reverse();
          const merged = new Map<string, ReturnType<typeof emptyState>>();
          for (let i = 0; i < shuffled.length; i += chunk)
            for (const delta of fold(catalog, shuffled.slice(i, i + chunk), settings).deltas.sorted()) {
              const id = aggregateKeyString(delta);
              const into = merged.get(id) ?? emptyState();
              mergeInto(into, delta);
              merged.set(id, into);
            }
          expect(merged.size).toBe(whole.length);
          for (const delta of whole) {
            const other = merged.get(aggregateKeyString(delta));
            expect(other).toMatchObject({
              num: delta.num,
              den: delta.den,
              samples: delta.samples,
              late: delta.late,
            });
            expect(other?.histogram).toEqual(delta.histogram);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('refuses an observation of a KPI the catalog does not feed from observations', () => {
    const event = createEvent(EventTypes.kpiObservation, {
      source: '/portal',
      subject: 'x',
      data: {
        kpiCode: 'report-on-time-share',
        dimension: { kind: 'city', code: 'hai-phong' },
        value: 1,
        observedAt: new Date().toISOString(),
        source: 'portal',
      },
    });
    expect(() => fold(catalog, [{ event, arrivedAt: new Date() }], settings)).toThrow(
      expect.objectContaining({ code: 'KPI.UNKNOWN_KPI' }) as unknown as Error,
    );
  });
});
