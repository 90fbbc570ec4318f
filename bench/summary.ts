/**
 * The summary at the top of docs/bench.md: each benchmark's headline figures, kept in docs/bench.json (one entry
 * per benchmark, rewritten by that benchmark's run alone) and rendered from it as one table. Pure: reading and
 * writing the files is bench/support.ts's.
 */

/** One headline figure of a benchmark. */
export interface SummaryRow {
  /** What is measured, e.g. `intake end to end`. */
  figure: string;
  value: number;
  /** Unit of `value` and of the baseline's value, e.g. `ms` or `events/s`. */
  unit: string;
  /** The same figure of the bare counterpart measured in the same run (a raw kafkajs consumer, a bare server). */
  baseline?: { of: string; value: number };
  /** The target as docs/bench.md states it, e.g. `p99 < 50 ms at 300/s`. */
  target?: string;
  /** Whether the target is met; absent when there is no target. */
  met?: boolean;
}

/** What one run of one benchmark left: when, on how loaded a machine, and its headline figures. */
export interface BenchSummary {
  /** Day of the run, `YYYY-MM-DD`. */
  date: string;
  /** 1-minute load average when the run wrote its figures. */
  load?: number;
  rows: SummaryRow[];
}

/** docs/bench.json: the latest summary of each benchmark, by name. */
export type SummaryFile = Record<string, BenchSummary>;

/** The order `npm run bench` runs the benchmarks in, and the summary lists them in; others follow by name. */
export const BENCH_ORDER = ['messaging', 'intake', 'reports', 'gateway', 'kpi', 'system'] as const;

export const SUMMARY_MARKERS = ['<!-- bench:summary -->', '<!-- /bench:summary -->'] as const;

/** Names in {@link BENCH_ORDER} first, in that order, then the others alphabetically. */
export function inBenchOrder(names: Iterable<string>): string[] {
  const rank = (name: string) => {
    const at = (BENCH_ORDER as readonly string[]).indexOf(name);
    return at < 0 ? BENCH_ORDER.length : at;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** 6,039, 11.9 and 0.04: separators from 100 on, one decimal below, two digits below 1. */
function formatValue(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 1) return value.toFixed(1).replace(/\.0$/, '');
  return String(Number(value.toPrecision(2)));
}

/** The figure over its baseline: a share for rates (`28.6%`), a factor for the rest (`×4.9`). */
export function ratioOf(row: SummaryRow): string {
  if (row.baseline === undefined || !(row.baseline.value > 0)) return '—';
  const ratio = row.value / row.baseline.value;
  if (row.unit.endsWith('/s')) return `${(ratio * 100).toFixed(1)}%`;
  return `×${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(ratio < 0.1 ? 2 : 1)}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The summary section (between {@link SUMMARY_MARKERS}), one table over every benchmark of `file`. */
export function renderSummary(file: SummaryFile): string {
  const rows = inBenchOrder(Object.keys(file)).flatMap((name) => {
    const { date, load, rows: figures } = file[name];
    const run = load === undefined ? date : `${date} (${load.toFixed(1)})`;
    return figures.map((row) => {
      const value = `${formatValue(row.value)} ${row.unit}`;
      const baseline =
        row.baseline === undefined
          ? '—'
          : `${row.baseline.of}: ${formatValue(row.baseline.value)} ${row.unit}`;
      const met = row.met === undefined ? '—' : row.met ? 'met' : '**not met**';
      return `| ${[name, row.figure, value, baseline, ratioOf(row), row.target ?? '—', met, run].map(cell).join(' | ')} |`;
    });
  });
  return [
    SUMMARY_MARKERS[0],
    '',
    '## Summary',
    '',
    "Each benchmark's headline figures, from [bench.json](bench.json): `npm run bench` runs every benchmark, one " +
      'process after another, and `npm run bench:<name>` one of them, which rewrites its own rows and section ' +
      'below. The baseline is the same figure of the bare counterpart measured in the same run; the ratio is the ' +
      'figure over it (a share for rates, a factor for delays). Run: the day and, in brackets, the 1-minute load ' +
      'average when it ended; on a machine shared with other work the figures are a floor.',
    '',
    '| bench | figure | value | baseline (same run) | ratio | target | met | run (load) |',
    '| --- | --- | --: | --- | --: | --- | --- | --- |',
    ...(rows.length > 0 ? rows : ['| — | no benchmark has run yet | | | | | | |']),
    SUMMARY_MARKERS[1],
  ].join('\n');
}

/**
 * `document` with `section` (which starts and ends with its `<!-- bench:<name> -->` markers) in place of the one
 * it holds, else added: at the end, or right after the title for `top`.
 */
export function placeSection(
  document: string,
  name: string,
  section: string,
  where: 'end' | 'top' = 'end',
): string {
  const [open, close] = [`<!-- bench:${name} -->`, `<!-- /bench:${name} -->`];
  const [start, end] = [document.indexOf(open), document.indexOf(close)];
  if (start >= 0 && end > start)
    return document.slice(0, start) + section + document.slice(end + close.length);
  if (where === 'end') return `${document.trimEnd()}\n\n${section}\n`;
  const title = /^# .*\n/.exec(document);
  const head = title ? title[0] : '';
  return `${head}\n${section}\n\n${document.slice(head.length).trimStart()}`;
}
