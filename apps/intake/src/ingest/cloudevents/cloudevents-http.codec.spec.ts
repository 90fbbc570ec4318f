import { EventTypes } from '@ioc/contracts';
import { contentModeOf, decodeHttpEvents, mediaTypeOf } from './cloudevents-http.codec';

const data = { cameraId: 'cam-1', observedAt: '2025-03-01T02:00:00Z' };
const attributes = {
  specversion: '1.0',
  id: 'hb-1',
  source: '/vendors/acme',
  type: EventTypes.cameraHeartbeat,
  subject: 'cam-1',
  time: '2025-03-01T09:00:00+07:00',
};
const binaryHeaders = {
  'content-type': 'application/json',
  'ce-specversion': '1.0',
  'ce-id': 'hb-1',
  'ce-source': '/vendors/acme',
  'ce-type': EventTypes.cameraHeartbeat,
  'ce-subject': 'cam-1',
  'ce-time': '2025-03-01T09:00:00+07:00',
};

describe(decodeHttpEvents.name, () => {
  const sut = decodeHttpEvents;

  it('decodes binary mode from ce-* headers, with the time in UTC', () => {
    const [result] = sut('binary', { headers: binaryHeaders, body: data });
    expect(result).toEqual({
      ok: true,
      event: { ...attributes, time: '2025-03-01T02:00:00.000Z', datacontenttype: 'application/json', data },
    });
  });

  it('percent-decodes binary header values (HTTP binding 3.1.3.2)', () => {
    const [result] = sut('binary', { headers: { ...binaryHeaders, 'ce-subject': 'cam-%C4%90' }, body: data });
    expect(result.ok && result.event.subject).toBe('cam-Đ');
  });

  it.each(['cam-%00', '%00', 'x%00y'])('refuses a header value decoding to U+0000 (%s)', (subject) => {
    const [result] = sut('binary', { headers: { ...binaryHeaders, 'ce-subject': subject }, body: data });
    expect(result).toEqual({
      ok: false,
      reason: 'envelope.invalid',
      detail: 'header ce-subject holds U+0000 or an unpaired surrogate',
    });
  });

  it('never invents a missing id, unlike the SDK', () => {
    const { 'ce-id': _id, ...headers } = binaryHeaders;
    const [result] = sut('binary', { headers, body: data });
    expect(result).toMatchObject({ ok: false, reason: 'envelope.invalid' });
  });

  it('refuses a repeated attribute header', () => {
    const [result] = sut('binary', { headers: { ...binaryHeaders, 'ce-id': ['a', 'b'] }, body: data });
    expect(result).toMatchObject({ ok: false, detail: 'header ce-id is repeated' });
  });

  it('decodes structured mode and drops extensions outside the contract', () => {
    const [result] = sut('structured', { headers: {}, body: { ...attributes, data, vendorext: 'x' } });
    expect(result.ok && result.event).not.toHaveProperty('vendorext');
    expect(result.ok && result.event.data).toEqual(data);
  });

  it('decodes a batch event by event, keeping their positions', () => {
    const results = sut('batch', { headers: {}, body: [{ ...attributes, data }, 42, { ...attributes }] });
    expect(results.map((r) => r.ok)).toEqual([true, false, false]);
  });

  it.each([
    ['an object', {}],
    ['null', null],
  ])('refuses a batch that is %s', (_name, body) => {
    expect(sut('batch', { headers: {}, body })).toEqual([
      { ok: false, reason: 'envelope.invalid', detail: 'a batch must be a JSON array of events' },
    ]);
  });

  it('never quotes values in its details', () => {
    const [result] = sut('structured', {
      headers: {},
      body: { ...attributes, subject: "x' OR 1=1 --", data },
    });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('OR 1=1');
  });
});

describe(contentModeOf.name, () => {
  it.each([
    ['application/json', 'binary'],
    ['Application/JSON; charset=utf-8', 'binary'],
    ['application/cloudevents+json', 'structured'],
    ['application/cloudevents-batch+json; charset=utf-8', 'batch'],
    ['application/cloudevents+xml', undefined],
    ['text/plain', undefined],
    [undefined, undefined],
  ])('%s → %s', (contentType, mode) => {
    expect(contentModeOf(contentType)).toBe(mode);
  });

  it('reads the bare media type', () => {
    expect(mediaTypeOf(' application/ld+json ; charset=utf-8')).toBe('application/ld+json');
    expect(mediaTypeOf('')).toBeUndefined();
  });
});
