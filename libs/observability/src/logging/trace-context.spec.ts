import fc from 'fast-check';
import { childSpan, continueTrace, formatTraceparent, newTrace, parseTraceparent } from './trace-context';

const EXAMPLE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/;

describe(parseTraceparent.name, () => {
  it('reads the trace id, the parent span id and the sampled flag', () => {
    expect(parseTraceparent(EXAMPLE)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.sampled).toBe(false);
  });

  it('keeps only the sampled bit of the flags', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03')).toMatchObject({
      sampled: true,
    });
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02')).toMatchObject({
      sampled: false,
    });
  });

  it('reads the first four fields of a later version, extra fields included', () => {
    expect(parseTraceparent('cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-is-this')).toEqual(
      parseTraceparent(EXAMPLE),
    );
    expect(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual(
      parseTraceparent(EXAMPLE),
    );
  });

  it.each([
    ['absent', undefined],
    ['not a string (a repeated header)', [EXAMPLE, EXAMPLE]],
    ['empty', ''],
    ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version 00 with a field after the flags', `${EXAMPLE}-extra`],
    [
      'a later version with text glued to the flags',
      'cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x',
    ],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['a long parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7a-01'],
    ['non-hex flags', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g'],
    ['padded with spaces', ` ${EXAMPLE} `],
    ['with a line break (log forging)', `${EXAMPLE}\n{"level":"info"}`],
    ['the wrong separators', '00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01'],
  ])('refuses a value %s', (_, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('reads back what it writes', () => {
    const hex = (length: number) =>
      fc
        .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length })
        .filter((id) => /[^0]/.test(id));
    fc.assert(
      fc.property(hex(32), hex(16), fc.boolean(), (traceId, spanId, sampled) => {
        const context = { traceId, spanId, sampled };
        expect(parseTraceparent(formatTraceparent(context))).toEqual(context);
      }),
    );
  });
});

describe(formatTraceparent.name, () => {
  it('writes version 00', () => {
    const context = parseTraceparent('cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more');

    expect(context && formatTraceparent(context)).toBe(EXAMPLE);
  });
});

describe(newTrace.name, () => {
  it('starts a valid, unsampled trace with random ids', () => {
    const a = newTrace();
    const b = newTrace();

    expect(formatTraceparent(a)).toMatch(TRACEPARENT);
    expect(parseTraceparent(formatTraceparent(a))).toEqual({ ...a, sampled: false });
    expect(a.traceId).not.toBe(b.traceId);
    expect(a.spanId).not.toBe(b.spanId);
  });

  it('never hands out the same random bytes twice, across refills of its pool', () => {
    const ids = Array.from({ length: 1000 }, newTrace).flatMap((trace) => [trace.traceId, trace.spanId]);

    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[0-9a-f]+$/.test(id) && /[^0]/.test(id))).toBe(true);
  });
});

describe(childSpan.name, () => {
  it('keeps the trace and its flag, with a new span', () => {
    const parent = parseTraceparent(EXAMPLE)!;

    const sut = childSpan(parent);

    expect(sut).toEqual({
      traceId: parent.traceId,
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      sampled: true,
    });
    expect(sut.spanId).not.toBe(parent.spanId);
  });
});

describe(continueTrace.name, () => {
  it("continues a valid caller's trace in a new span", () => {
    const sut = continueTrace(EXAMPLE);

    expect(sut.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(sut.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('starts a new trace when the value is malformed', () => {
    const sut = continueTrace('00-00000000000000000000000000000000-00f067aa0ba902b7-01');

    expect(sut.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(sut.traceId).not.toBe('0'.repeat(32));
    expect(sut.sampled).toBe(false);
  });
});
