import type { Kpi } from '../city-data';
import { kpisSchema } from '../schemas/kpis.schema';
import { checkKpis } from './check-kpis';

const names = { vi: 'Chỉ số', en: 'Indicator' };
const parse = (entries: unknown[]): Kpi[] => kpisSchema.parse(entries) as Kpi[];
const ratio = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  names,
  pillar: 'digital-society',
  unit: 'percent',
  direction: 'at-least',
  formula: {
    kind: 'ratio',
    numerator: { event: 'ioc.report.resolved.v1' },
    denominator: { event: 'ioc.report.submitted.v1' },
  },
  targets: [],
  ...extra,
});
const composite = (code: string, inputs: string[]) => ({
  code,
  names,
  pillar: 'overall',
  unit: 'score',
  direction: 'at-least',
  formula: { kind: 'composite', inputs: inputs.map((kpi) => ({ kpi, weight: 1 })) },
  targets: [],
});

describe(checkKpis.name, () => {
  it('accepts a ratio of two report events broken down by unit, and composites over it', () => {
    const kpis = parse([
      ratio('answered', { dimensions: { unit: 'adminUnitCodes' } }),
      composite('pillar', ['answered']),
      composite('index', ['pillar']),
    ]);
    expect(checkKpis(kpis)).toEqual([]);
    expect(kpis[0].periods).toEqual(['day', 'month', 'year']);
    expect(kpis[0].aggregation).toBe('ratio');
  });

  it('checks a gauge: its entity and counted fields on every source event', () => {
    const gauge = (entity: string, field: string) => ({
      ...ratio('open'),
      unit: 'count',
      formula: {
        kind: 'gauge',
        sources: [{ event: 'ioc.incident.opened.v1' }, { event: 'ioc.incident.cleared.v1' }],
        entity,
        counts: [{ field, in: ['open'] }],
      },
    });
    expect(checkKpis(parse([gauge('incidentId', 'status')]))).toEqual([]);
    expect(checkKpis(parse([gauge('reportId', 'colour')])).map((p) => p.path)).toEqual([
      '[0].formula.entity',
      '[0].formula.counts[0].field',
      '[0].formula.entity',
      '[0].formula.counts[0].field',
    ]);
  });

  it('refuses an event the KPI service does not consume, and fields the event does not carry', () => {
    const problems = checkKpis(
      parse([
        ratio('a', {
          formula: {
            kind: 'ratio',
            numerator: { event: 'ioc.camera.detection.v1' },
            denominator: {
              event: 'ioc.report.submitted.v1',
              where: [{ field: 'colour', equals: 'red' }],
              time: ['eatenAt'],
            },
          },
          dimensions: { agency: 'agencyCode' },
        }),
      ]),
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['UNKNOWN_REFERENCE', '[0].formula.numerator.event'],
      ['UNKNOWN_REFERENCE', '[0].formula.denominator.where[0].field'],
      ['UNKNOWN_REFERENCE', '[0].formula.denominator.time[0]'],
      ['UNKNOWN_REFERENCE', '[0].formula.denominator.event'],
    ]);
  });

  it('refuses a composite over a KPI that does not exist, and a cycle of composites', () => {
    const problems = checkKpis(
      parse([composite('a', ['b']), composite('b', ['a']), composite('c', ['nope'])]),
    );
    expect(problems.map((p) => p.code).sort()).toEqual(['CIRCULAR_REFERENCE', 'UNKNOWN_REFERENCE']);
    expect(problems.find((p) => p.code === 'CIRCULAR_REFERENCE')?.message).toContain('a → b → a');
  });

  it('refuses an at-risk edge beyond the target and a target for a period the KPI does not have', () => {
    const result = kpisSchema.safeParse([
      ratio('a', {
        periods: ['month'],
        targets: [{ year: 2025, value: 60, atRisk: 70, periods: ['day'], source: 'city-plan' }],
      }),
    ]);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([
      '0.targets.0.atRisk',
      '0.targets.0.periods.0',
    ]);
  });
});
