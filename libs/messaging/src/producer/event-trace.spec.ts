import {
  currentCorrelationId,
  currentTraceparent,
  newTrace,
  parseTraceparent,
  runWithCorrelation,
} from '@ioc/observability';
import { aDetection } from '../../test/fixtures/events';
import { runInEventContext, withTraceContext } from './event-trace';

const CALLER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe(withTraceContext.name, () => {
  it("stamps the current flow's correlation id and span on events that carry none", () => {
    const trace = newTrace();

    const [sut] = runWithCorrelation('req-1', () => withTraceContext([aDetection('cam-1')]), trace);

    expect(sut.correlationid).toBe('req-1');
    expect(parseTraceparent(sut.traceparent)).toEqual(trace);
  });

  it('keeps what the caller set, attribute by attribute', () => {
    const events = [
      { ...aDetection('cam-1'), correlationid: 'own-1', traceparent: CALLER },
      { ...aDetection('cam-2'), correlationid: 'own-2' },
      { ...aDetection('cam-3'), traceparent: CALLER },
    ];

    const sut = runWithCorrelation('req-2', () => withTraceContext(events));

    expect(sut[0]).toBe(events[0]);
    expect(sut.map((e) => [e.correlationid, e.traceparent === CALLER])).toEqual([
      ['own-1', true],
      ['own-2', false],
      ['req-2', true],
    ]);
  });

  it('starts one flow for the events of a call made outside any flow', () => {
    const sut = withTraceContext([aDetection('cam-1'), aDetection('cam-2')]);
    const again = withTraceContext([aDetection('cam-1')]);

    expect(sut[0].correlationid).toEqual(expect.any(String));
    expect(sut[1].correlationid).toBe(sut[0].correlationid);
    expect(sut[1].traceparent).toBe(sut[0].traceparent);
    expect(parseTraceparent(sut[0].traceparent)).toBeDefined();
    expect(again[0].correlationid).not.toBe(sut[0].correlationid);
  });
});

describe(runInEventContext.name, () => {
  it("runs in the event's flow, in a new span whose parent is the event's", () => {
    const [correlationId, traceparent] = runInEventContext(
      { correlationid: 'flow-1', traceparent: CALLER },
      () => [currentCorrelationId(), currentTraceparent()],
    );

    expect(correlationId).toBe('flow-1');
    const span = parseTraceparent(traceparent);
    expect(span).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', sampled: true });
    expect(span?.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('starts a flow for an event that carries none', () => {
    const [correlationId, traceparent] = runInEventContext({}, () => [
      currentCorrelationId(),
      currentTraceparent(),
    ]);

    expect(correlationId).toEqual(expect.any(String));
    expect(parseTraceparent(traceparent)).toBeDefined();
  });

  it('makes the events written while handling carry the consumed flow', () => {
    const [emitted] = runInEventContext({ correlationid: 'flow-2', traceparent: CALLER }, () =>
      withTraceContext([aDetection('cam-9')]),
    );

    expect(emitted.correlationid).toBe('flow-2');
    expect(emitted.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(emitted.traceparent).not.toBe(CALLER);
  });
});
