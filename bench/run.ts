/**
 * `npm run bench`: every benchmark of bench/ (each folder with a run.ts and its `bench:<name>` script), one after
 * another, each as a process of its own (`npm run bench:<name>`), each writing its section of docs/bench.md and its
 * headline figures into docs/bench.json, from which the summary table at the top of docs/bench.md is rendered.
 * A benchmark that fails is reported and the others still run; the exit code says whether all succeeded.
 *
 *   npm run bench                   every benchmark, at its full size
 *   npm run bench -- kpi system     those only
 *   npm run bench -- --quick        every benchmark cut short (BENCH_QUICK=1 does the same): a smoke check of the
 *                                   tooling in a few minutes, written to .run/bench/quick/bench.md (and .json), not
 *                                   to docs/, since such figures mean little
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { inBenchOrder } from './summary';

const ROOT = path.resolve(__dirname, '..');

/** Each benchmark's settings in a smoke run: small counts, short windows (see each run.ts for their meaning). */
const QUICK: Record<string, Record<string, string>> = {
  messaging: { BENCH_EVENTS: '20000', BENCH_RELAY_EVENTS: '5000' },
  intake: { BENCH_DETECTIONS: '20000', BENCH_CAMERAS: '500', BENCH_LATENCY_SECONDS: '5' },
  reports: { BENCH_SECONDS: '5', BENCH_WARMUP_SECONDS: '1', BENCH_CLOSED_SECONDS: '3' },
  gateway: { BENCH_CLIENTS: '100', BENCH_SECONDS: '3', BENCH_WARMUP_SECONDS: '1' },
  kpi: {
    BENCH_EVENTS: '5000',
    BENCH_HISTORY_SMALL: '1000',
    BENCH_HISTORY_LARGE: '20000',
    BENCH_HISTORY_CHUNK: '10000',
  },
  system: {},
};

function benchmarks(): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: object })
    .scripts;
  const found = readdirSync(__dirname, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(__dirname, entry.name, 'run.ts')))
    .map((entry) => entry.name);
  const unscripted = found.filter((name) => !(`bench:${name}` in scripts));
  if (unscripted.length > 0)
    throw new Error(`bench/${unscripted[0]}/run.ts has no \`bench:${unscripted[0]}\` script in package.json`);
  return inBenchOrder(found);
}

function runOne(name: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', `bench:${name}`], { cwd: ROOT, env, stdio: 'inherit' });
    child.once('error', () => resolve(1));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  const all = benchmarks();
  if (values.help) {
    console.log(`usage: npm run bench [-- --quick] [-- <name> …]   (benchmarks: ${all.join(', ')})`);
    return 0;
  }
  const unknown = positionals.filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    console.error(`no benchmark ${unknown.join(', ')}; there are ${all.join(', ')}`);
    return 2;
  }
  const selected = positionals.length > 0 ? all.filter((name) => positionals.includes(name)) : all;
  const quick = values.quick || process.env.BENCH_QUICK === '1';
  const doc = quick ? path.join(ROOT, '.run', 'bench', 'quick', 'bench.md') : process.env.BENCH_DOC;
  if (quick && doc !== undefined) rmSync(path.dirname(doc), { recursive: true, force: true });
  const results: { name: string; code: number; seconds: number }[] = [];
  for (const name of selected) {
    console.log(`\n=== bench:${name}${quick ? ' (quick)' : ''} ===`);
    const started = performance.now();
    const env = {
      ...process.env,
      ...(doc === undefined ? {} : { BENCH_DOC: doc }),
      ...(quick ? { BENCH_QUICK: '1', ...QUICK[name] } : {}),
    };
    const code = await runOne(name, env);
    results.push({ name, code, seconds: (performance.now() - started) / 1000 });
  }
  console.log('\n=== benchmarks ===');
  for (const { name, code, seconds } of results)
    console.log(`${name.padEnd(12)} ${code === 0 ? 'ok' : `FAILED (exit ${code})`}  ${seconds.toFixed(0)} s`);
  const written = doc ?? path.join(ROOT, 'docs', 'bench.md');
  console.log(`summary and sections in ${path.relative(process.cwd(), written)}`);
  return results.every((result) => result.code === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
