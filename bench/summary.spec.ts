import { inBenchOrder, placeSection, ratioOf, renderSummary, type SummaryFile } from './summary';

const file: SummaryFile = {
  kpi: {
    date: '2026-11-30',
    load: 1.47,
    rows: [
      {
        figure: 'kpi fold, 10,002 events of history',
        value: 6039.4,
        unit: 'events/s',
        baseline: { of: 'raw kafkajs consumer', value: 204_577 },
        target: '≥ 10,000/s and ≥ 25% of baseline',
        met: false,
      },
    ],
  },
  reports: {
    date: '2026-11-29',
    rows: [
      {
        figure: 'p99 of POST /reports, open loop at 300/s',
        value: 11.94,
        unit: 'ms',
        baseline: { of: 'bare NestJS', value: 2.5 },
        target: 'p99 < 50 ms',
        met: true,
      },
      { figure: 'closed loop, 16 clients', value: 884, unit: 'submissions/s' },
    ],
  },
  zeta: { date: '2026-11-30', rows: [{ figure: 'a | b', value: 0.04, unit: 'ms' }] },
};

describe('the benchmark summary', () => {
  it('renders one table row per headline figure, benchmarks in run order, unknown ones last', () => {
    const lines = renderSummary(file).split('\n');
    const rows = lines.filter(
      (line) => line.startsWith('| ') && !line.startsWith('| bench') && !line.startsWith('| ---'),
    );
    expect(rows).toEqual([
      '| reports | p99 of POST /reports, open loop at 300/s | 11.9 ms | bare NestJS: 2.5 ms | ×4.8 | p99 < 50 ms | met | 2026-11-29 |',
      '| reports | closed loop, 16 clients | 884 submissions/s | — | — | — | — | 2026-11-29 |',
      '| kpi | kpi fold, 10,002 events of history | 6,039 events/s | raw kafkajs consumer: 204,577 events/s | 3.0% | ≥ 10,000/s and ≥ 25% of baseline | **not met** | 2026-11-30 (1.5) |',
      '| zeta | a \\| b | 0.04 ms | — | — | — | — | 2026-11-30 |',
    ]);
    expect(lines[0]).toBe('<!-- bench:summary -->');
    expect(lines.at(-1)).toBe('<!-- /bench:summary -->');
  });

  it('says so when no benchmark has run', () => {
    expect(renderSummary({})).toContain('no benchmark has run yet');
  });

  it('shows the ratio as a share for rates and as a factor for delays', () => {
    const row = { figure: 'f', unit: 'ms', value: 97, baseline: { of: 'bare', value: 14_950 } };
    expect(ratioOf(row)).toBe('×0.01');
    expect(ratioOf({ ...row, value: 150_000 })).toBe('×10');
    expect(ratioOf({ ...row, unit: 'msgs/s', value: 24_089, baseline: { of: 'raw', value: 84_289 } })).toBe(
      '28.6%',
    );
    expect(ratioOf({ ...row, baseline: { of: 'bare', value: 0 } })).toBe('—');
  });

  it('orders benchmarks as `npm run bench` runs them', () => {
    expect(inBenchOrder(['system', 'b', 'kpi', 'a', 'messaging'])).toEqual([
      'messaging',
      'kpi',
      'system',
      'a',
      'b',
    ]);
  });

  it('puts the summary right after the title and replaces it in place, leaving the sections alone', () => {
    const doc = '# Benchmarks\n\n<!-- bench:kpi -->\n## KPI\n<!-- /bench:kpi -->\n';
    const summary = '<!-- bench:summary -->\nS1\n<!-- /bench:summary -->';
    const once = placeSection(doc, 'summary', summary, 'top');
    expect(once).toBe(`# Benchmarks\n\n${summary}\n\n<!-- bench:kpi -->\n## KPI\n<!-- /bench:kpi -->\n`);
    const twice = placeSection(once, 'summary', summary.replace('S1', 'S2'), 'top');
    expect(twice).toBe(once.replace('S1', 'S2'));
    const section = '<!-- bench:system -->\n## System\n<!-- /bench:system -->';
    expect(placeSection(twice, 'system', section)).toBe(`${twice.trimEnd()}\n\n${section}\n`);
  });
});
