import { eventSamples } from '../../test/event-samples';
import { InvalidEventError } from '../errors/contract.errors';
import { EventTypes } from '../events/event-types';
import { validateEvent } from '../validation/event-validator';
import { createEvent, withTraceAttributes } from './ioc-event';
import { encodeKafkaMessage } from './kafka-codec';

const data = eventSamples[EventTypes.cameraHeartbeat];
const input = { source: '/ioc/intake', subject: data.cameraId, data };

describe(createEvent.name, () => {
  afterEach(() => jest.useRealTimers());

  it('builds a CloudEvents 1.0 envelope around the data', () => {
    const sut = createEvent(EventTypes.cameraHeartbeat, {
      ...input,
      id: 'evt-1',
      time: '2025-03-01T02:00:00Z',
    });

    expect(sut).toEqual({
      specversion: '1.0',
      id: 'evt-1',
      source: '/ioc/intake',
      type: 'ioc.camera.heartbeat.v1',
      subject: 'cam-0042',
      time: '2025-03-01T02:00:00.000Z',
      datacontenttype: 'application/json',
      dataschema: 'https://schemas.ioc.example/events/ioc.camera.heartbeat.v1.json',
      data,
    });
  });

  it('gives each event a fresh time-ordered UUID (version 7) unless one is supplied', () => {
    const ids = Array.from({ length: 1_000 }, () => createEvent(EventTypes.cameraHeartbeat, input).id);

    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Made in one process, each sorts after the one before, even within a millisecond: an index takes them at its end.
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(createEvent(EventTypes.cameraHeartbeat, { ...input, id: 'given-1' }).id).toBe('given-1');
  });

  it('stamps the current time in UTC by default', () => {
    jest.useFakeTimers({ now: new Date('2025-10-10T01:02:03.004Z') });

    expect(createEvent(EventTypes.cameraHeartbeat, input).time).toBe('2025-10-10T01:02:03.004Z');
  });

  it.each([
    [new Date('2025-03-01T09:00:00+07:00'), '2025-03-01T02:00:00.000Z'],
    ['2025-03-01T09:00:00+07:00', '2025-03-01T02:00:00.000Z'],
  ])('writes a given time %p as UTC', (time, expected) => {
    expect(createEvent(EventTypes.cameraHeartbeat, { ...input, time }).time).toBe(expected);
  });

  it('carries the correlation id and trace context extensions', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

    const sut = createEvent(EventTypes.cameraHeartbeat, { ...input, correlationid: 'req-42', traceparent });

    expect(sut).toMatchObject({ correlationid: 'req-42', traceparent });
  });

  it('refuses data that breaks the schema, with a stable code', () => {
    const act = () => createEvent(EventTypes.cameraHeartbeat, { ...input, data: { ...data, fps: -1 } });

    expect(act).toThrow(InvalidEventError);
    expect(act).toThrow(expect.objectContaining({ code: 'EVENT.INVALID', reason: 'schema.invalid' }));
  });

  it.each([
    ['an empty subject', { subject: '' }],
    ['a subject with spaces', { subject: 'cam 42' }],
    ['an unparseable time', { time: 'yesterday' }],
    ['a malformed traceparent', { traceparent: 'not-a-trace' }],
    ['an oversized id', { id: 'x'.repeat(129) }],
    ['an empty source', { source: '' }],
  ])('refuses %s', (_what, change) => {
    expect(() => createEvent(EventTypes.cameraHeartbeat, { ...input, ...change })).toThrow(
      expect.objectContaining({ code: 'EVENT.INVALID', reason: 'envelope.invalid' }),
    );
  });
});

describe('an event createEvent checked', () => {
  const TRACE = {
    correlationid: 'req-7',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00',
  };

  it('has frozen attributes', () => {
    const event = createEvent(EventTypes.cameraHeartbeat, input);

    expect(Object.isFrozen(event)).toBe(true);
  });

  it('publishes its data as it was checked, even when the caller changes the object afterwards', () => {
    const own = { ...data };
    const event = createEvent(EventTypes.cameraHeartbeat, { ...input, data: own });
    Object.assign(own, { fps: -1 });

    expect(validateEvent(event).ok).toBe(true);
    expect(JSON.parse(encodeKafkaMessage(event).value.toString('utf8'))).toEqual(data);
  });

  it('gets the tracing attributes it lacks and stays checked, with the same data bytes', () => {
    const event = createEvent(EventTypes.cameraHeartbeat, input);

    const stamped = withTraceAttributes(event, TRACE);

    expect(stamped).toMatchObject({ ...TRACE, id: event.id, data });
    expect(Object.isFrozen(stamped)).toBe(true);
    expect(encodeKafkaMessage(stamped).value).toBe(encodeKafkaMessage(event).value);
    expect(encodeKafkaMessage(stamped).headers).toMatchObject({
      ce_correlationid: 'req-7',
      ce_traceparent: TRACE.traceparent,
    });
  });

  it('keeps its own tracing attributes', () => {
    const event = createEvent(EventTypes.cameraHeartbeat, { ...input, correlationid: 'own' });

    expect(withTraceAttributes(event, TRACE)).toMatchObject({
      correlationid: 'own',
      traceparent: TRACE.traceparent,
    });
  });

  it('is no longer taken as checked when a tracing attribute breaks the envelope', () => {
    const event = createEvent(EventTypes.cameraHeartbeat, input);

    const stamped = withTraceAttributes(event, { ...TRACE, traceparent: 'not a trace' });

    expect(Object.isFrozen(stamped)).toBe(false);
    expect(() => encodeKafkaMessage(stamped)).toThrow(
      expect.objectContaining({ reason: 'envelope.invalid' }),
    );
  });

  it('is a checked event only by createEvent: a copy with broken data is refused', () => {
    const event = createEvent(EventTypes.cameraHeartbeat, input);

    expect(validateEvent({ ...event, data: { ...data, fps: -1 } })).toMatchObject({
      ok: false,
      reason: 'schema.invalid',
    });
    expect(validateEvent(withTraceAttributes({ ...event, data: { ...data, fps: -1 } }, TRACE)).ok).toBe(
      false,
    );
  });
});
