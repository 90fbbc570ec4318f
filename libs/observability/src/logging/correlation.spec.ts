import {
  correlationIdFrom,
  currentFlow,
  currentCorrelationId,
  currentTraceparent,
  isValidCorrelationId,
  runWithCorrelation,
  runWithRequestCorrelation,
  traceFrom,
} from './correlation';
import { formatTraceparent, newTrace, parseTraceparent } from './trace-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe(correlationIdFrom.name, () => {
  it('adopts a valid x-correlation-id', () => {
    expect(correlationIdFrom({ headers: { 'x-correlation-id': '01HZX3K9Q7-trace.1:a' } })).toBe(
      '01HZX3K9Q7-trace.1:a',
    );
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['with spaces', 'a b'],
    ['with a newline (log forging)', 'abc\n{"level":"info"}'],
    ['too long', 'a'.repeat(129)],
    ['repeated', ['a', 'b']],
  ])('generates a UUID when the header is %s', (_, header) => {
    expect(correlationIdFrom({ headers: { 'x-correlation-id': header } })).toMatch(UUID);
  });

  it('gives the same id for the same request, whoever asks first', () => {
    const req = { headers: {} };

    expect(correlationIdFrom(req)).toBe(correlationIdFrom(req));
    expect(correlationIdFrom(req)).not.toBe(correlationIdFrom({ headers: {} }));
  });
});

describe(isValidCorrelationId.name, () => {
  it('accepts up to 128 safe characters', () => {
    expect(isValidCorrelationId('a'.repeat(128))).toBe(true);
    expect(isValidCorrelationId(42)).toBe(false);
  });
});

describe(runWithCorrelation.name, () => {
  it('carries the id through awaits and timers, and not beyond', async () => {
    const seen = await runWithCorrelation('corr-1', async () => {
      await Promise.resolve();
      const afterTimer = await new Promise<string | undefined>((resolve) =>
        setImmediate(() => resolve(currentCorrelationId())),
      );
      return [currentCorrelationId(), afterTimer];
    });

    expect(seen).toEqual(['corr-1', 'corr-1']);
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('keeps concurrent contexts apart', async () => {
    const read = (id: string) =>
      runWithCorrelation(id, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return currentCorrelationId();
      });

    await expect(Promise.all([read('a'), read('b')])).resolves.toEqual(['a', 'b']);
  });

  it('gives the flow of a job, or of an HTTP request with the request, to what runs in it', () => {
    const trace = newTrace();
    const request = { headers: {} };

    expect(runWithCorrelation('job-7', currentFlow, trace)).toEqual({ correlationId: 'job-7', trace });
    expect(runWithRequestCorrelation(request, 'req-7', trace, currentFlow)).toEqual({
      correlationId: 'req-7',
      trace,
      request,
    });
    expect(runWithRequestCorrelation(request, 'req-7', trace, currentCorrelationId)).toBe('req-7');
    expect(currentFlow()).toBeUndefined();
  });

  it('carries the trace context given, or a new trace', () => {
    const trace = newTrace();

    expect(runWithCorrelation('job-8', currentTraceparent, trace)).toBe(formatTraceparent(trace));
    expect(parseTraceparent(runWithCorrelation('job-9', currentTraceparent))).toBeDefined();
    expect(currentTraceparent()).toBeUndefined();
  });
});

describe(traceFrom.name, () => {
  const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it("continues the caller's trace in a span of the request's own", () => {
    const sut = traceFrom({ headers: { traceparent: caller } });

    expect(sut).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', sampled: true });
    expect(sut.spanId).not.toBe('00f067aa0ba902b7');
  });

  it.each([
    ['absent', undefined],
    ['malformed', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7'],
    ['all-zero', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
  ])('starts a new trace when the header is %s', (_, header) => {
    const sut = traceFrom({ headers: { traceparent: header } });

    expect(sut.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(parseTraceparent(formatTraceparent(sut))).toEqual(sut);
  });

  it('gives the same context for the same request, whoever asks first', () => {
    const req = { headers: { traceparent: caller } };

    expect(traceFrom(req)).toBe(traceFrom(req));
  });
});
