import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import { runWithCorrelation } from './correlation';
import { newTrace } from './trace-context';
import { createRootLogger } from './logger-options';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe(createRootLogger.name, () => {
  it('writes JSON with the service, its instance, a level label and an ISO time', () => {
    const out = capture();
    const sut = createRootLogger({ service: 'reports', destination: out.stream });

    sut.info({ reportId: 'R-1' }, 'report stored');

    expect(out.lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'reports',
        pid: process.pid,
        hostname: hostname(),
        reportId: 'R-1',
        msg: 'report stored',
      }),
    ]);
    expect(out.lines()[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('redacts personal data nested in the logged object', () => {
    const out = capture();
    const sut = createRootLogger({ service: 'reports', destination: out.stream });

    sut.info(
      { submission: { reporter: { name: 'Nguyễn Văn A' }, contacts: [{ phone: '0912345678' }] } },
      'received',
    );

    const text = JSON.stringify(out.lines());
    expect(text).not.toContain('Nguyễn');
    expect(text).not.toContain('0912345678');
    expect(out.lines()[0].submission).toEqual({
      reporter: '[REDACTED]',
      contacts: [{ phone: '[REDACTED]' }],
    });
  });

  it('adds the correlation id of the current context', () => {
    const out = capture();
    const sut = createRootLogger({ service: 'kpi', destination: out.stream });

    runWithCorrelation('evt-42', () => sut.info('consumed'));
    sut.info('idle');

    expect(out.lines().map((line) => line.correlationId)).toEqual(['evt-42', undefined]);
  });

  it('adds the trace and span ids of the current context', () => {
    const out = capture();
    const sut = createRootLogger({ service: 'kpi', destination: out.stream });
    const trace = newTrace();

    runWithCorrelation('evt-43', () => sut.info('consumed'), trace);

    expect(out.lines()[0]).toMatchObject({
      correlationId: 'evt-43',
      traceId: trace.traceId,
      spanId: trace.spanId,
    });
  });

  it('drops query parameters and database details from errors', () => {
    const out = capture();
    const sut = createRootLogger({ service: 'reports', destination: out.stream });
    const error = Object.assign(new Error('duplicate key value violates unique constraint'), {
      query: 'INSERT INTO reports VALUES ($1, $2)',
      parameters: ['R-1', '0912345678'],
      detail: 'Key (phone)=(0912345678) already exists.',
      code: '23505',
    });

    sut.error({ err: error }, 'insert failed');

    const [line] = out.lines();
    expect(JSON.stringify(line)).not.toContain('0912345678');
    expect(line.err).toMatchObject({
      type: 'Error',
      code: '23505',
      query: 'INSERT INTO reports VALUES ($1, $2)',
    });
  });

  it('honours the level', () => {
    const out = capture();
    const sut = createRootLogger({ service: 'kpi', level: 'warn', destination: out.stream });

    sut.info('hidden');
    sut.warn('shown');

    expect(out.lines().map((line) => line.msg)).toEqual(['shown']);
  });
});
