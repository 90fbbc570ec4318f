import { eventSamples, sampleData } from '../../test/event-samples';
import type { IocEvent } from '../envelope/ioc-event';
import { EventTypes, type EventType } from '../events/event-types';
import { validateEvent, validateEventData, ValidationFailureReasons } from './event-validator';

const reportEventTypes = (Object.values(EventTypes) as EventType[]).filter(
  (type) => type.startsWith('ioc.report.') && type !== EventTypes.reportSubmission,
);
const SECRET = 'Nguyen Van Secret 0912345678';

function eventOf(type: string, data: unknown): IocEvent {
  return {
    specversion: '1.0',
    id: 'evt-1',
    source: '/ioc/test',
    type,
    subject: 'subject-1',
    time: '2025-03-01T02:00:00.000Z',
    datacontenttype: 'application/json',
    data,
  };
}

type Data = Record<string, unknown>;
const set = (key: string, value: unknown) => (data: Data) => ({ ...data, [key]: value });
const without =
  (key: string) =>
  ({ [key]: _removed, ...rest }: Data) =>
    rest;

function withChange(type: EventType, change: (data: Data) => void): Data {
  const data = sampleData(type);
  change(data);
  return data;
}

describe(validateEventData.name, () => {
  it.each(Object.entries(eventSamples))('accepts a complete %s', (type, data) => {
    expect(validateEventData(type, data)).toEqual({ ok: true, data });
  });

  it('refuses a type the contract does not define', () => {
    expect(validateEventData('ioc.report.submitted.v9', {})).toEqual({
      ok: false,
      reason: ValidationFailureReasons.typeUnknown,
      detail: expect.any(String),
    });
  });

  it.each([
    ['a missing required field', EventTypes.reportSubmitted, without('reportId')],
    ['an extra property', EventTypes.cameraHeartbeat, set('temperature', 40)],
    ['an oversized string', EventTypes.reportSubmission, set('description', 'x'.repeat(4001))],
    ['a latitude beyond 90', EventTypes.cameraStatusChanged, set('location', { lat: 91, lon: 0 })],
    ['a longitude beyond 180', EventTypes.incidentOpened, set('location', { lat: 0, lon: -180.5 })],
    ['a confidence above 1', EventTypes.cameraDetection, set('confidence', 1.5)],
    ['a date without a time zone', EventTypes.trafficObservation, set('observedAt', '2025-03-01T02:00:00')],
    ['an impossible date', EventTypes.kpiObservation, set('observedAt', '2025-02-30T00:00:00Z')],
    [
      'an impossible date as toISOString writes it',
      EventTypes.kpiObservation,
      set('observedAt', '2025-02-30T00:00:00.000Z'),
    ],
    [
      'hour 24 as toISOString writes it',
      EventTypes.kpiObservation,
      set('observedAt', '2025-03-01T24:00:00.000Z'),
    ],
    ['a value outside its enum', EventTypes.incidentOpened, set('severity', 'apocalyptic')],
    ['a rating of 6', EventTypes.reportRated, set('rating', 6)],
    ['a fractional rating', EventTypes.reportRated, set('rating', 3.5)],
    ['a string where a number belongs', EventTypes.trafficObservation, set('speedKmh', '50')],
    ['duplicate unit codes', EventTypes.reportAssigned, set('adminUnitCodes', ['a', 'a'])],
    ['an id with spaces', EventTypes.cameraHeartbeat, set('cameraId', 'cam 1')],
    ['a camera incident without its camera', EventTypes.incidentOpened, without('cameraId')],
    ['a traffic incident without its segment', EventTypes.incidentUpdated, set('source', 'traffic')],
    ['an assignment without an agency', EventTypes.reportAssigned, without('agencyId')],
    [
      'a script URL as attachment',
      EventTypes.reportSubmission,
      set('attachments', [{ url: 'javascript:alert(1)', contentType: 'image/png' }]),
    ],
    [
      'too many detection attributes',
      EventTypes.cameraDetection,
      set('attributes', Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]))),
    ],
    [
      'a detection attribute holding an object',
      EventTypes.cameraDetection,
      set('attributes', { nested: { a: 1 } }),
    ],
    ['data that is not an object', EventTypes.kpiUpdated, () => ['not', 'an', 'object']],
  ] as const)('refuses %s (%s)', (_what, type, change) => {
    const result = validateEventData(type, change(sampleData(type)));

    expect(result).toEqual({
      ok: false,
      reason: ValidationFailureReasons.schemaInvalid,
      detail: expect.any(String),
    });
  });

  it.each([
    ["<script>alert('x')</script>"],
    ["'; DROP TABLE reports; --"],
    ['{{constructor.constructor("return process")()}}'],
    ['Ổ gà trước số nhà 12, đường Lê Lợi 🚧'],
  ])('accepts %j as plain text: it is data, never interpreted', (text) => {
    const data = withChange(EventTypes.reportSubmission, (d) => (d.description = text));

    expect(validateEventData(EventTypes.reportSubmission, data).ok).toBe(true);
  });

  it.each(
    reportEventTypes.flatMap((type) =>
      ['reporter', 'name', 'phone', 'email', 'photos'].map((key) => [type, key]),
    ),
  )('refuses personal data on %s (%s)', (type, key) => {
    const data = withChange(
      type as EventType,
      (d) => (d[key] = key === 'reporter' ? { phone: SECRET } : SECRET),
    );

    const result = validateEventData(type, data);

    expect(result).toMatchObject({ ok: false, reason: ValidationFailureReasons.schemaInvalid });
  });

  it('lets contact data through on the inbound submission only', () => {
    expect(validateEventData(EventTypes.reportSubmission, eventSamples[EventTypes.reportSubmission]).ok).toBe(
      true,
    );
  });

  it('names the paths and rules that failed, never the values', () => {
    const data = withChange(EventTypes.reportSubmission, (d) => {
      d.channel = SECRET;
      d.externalId = `${SECRET} `.repeat(20);
      d.reporter = { phone: SECRET, fax: SECRET };
      d[SECRET] = SECRET;
    });

    const result = validateEventData(EventTypes.reportSubmission, data);

    expect(result.ok).toBe(false);
    const detail = result.ok ? '' : result.detail;
    expect(detail).toContain('/channel');
    expect(detail).toContain('/reporter/phone');
    expect(detail).toContain("additional properties 'fax'");
    expect(detail).not.toContain('Nguyen');
    expect(detail).not.toContain('0912345678');
  });

  it('keeps the detail short however many errors there are', () => {
    const data = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field${i}`, i]));

    const result = validateEventData(EventTypes.kpiUpdated, data);

    expect(result.ok ? '' : result.detail).toMatch(/and \d+ more$/);
  });
});

describe(validateEvent.name, () => {
  it('returns the event typed by its type', () => {
    const result = validateEvent(eventOf(EventTypes.reportRated, eventSamples[EventTypes.reportRated]));

    expect(result.ok).toBe(true);
    if (result.ok && result.event.type === EventTypes.reportRated) expect(result.event.data.rating).toBe(4);
  });

  it('refuses an event type outside the contract', () => {
    expect(validateEvent(eventOf('com.example.unknown.v1', {}))).toMatchObject({
      ok: false,
      reason: ValidationFailureReasons.typeUnknown,
    });
  });

  it('refuses data that fails the schema its type names', () => {
    expect(validateEvent(eventOf(EventTypes.reportRated, { rating: 5 }))).toMatchObject({
      ok: false,
      reason: ValidationFailureReasons.schemaInvalid,
    });
  });
});
