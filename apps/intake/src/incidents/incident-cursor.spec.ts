import { ValidationFailedError } from '@ioc/observability';
import { decodeIncidentCursor, encodeIncidentCursor } from './incident-cursor';

const base64url = (text: string) => Buffer.from(text).toString('base64url');

describe('incident cursor', () => {
  const position = {
    openedAt: new Date('2026-05-01T08:00:00.123Z'),
    id: '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  };

  it('keeps the wire form cursors were issued in: base64url of [epoch milliseconds, id]', () => {
    const issued = 'WzE3Nzc2MjI0MDAxMjMsIjAxOTZhMWIyLWMzZDQtN2U1Zi04YTliLTBjMWQyZTNmNGE1YiJd';

    expect(encodeIncidentCursor(position)).toBe(issued);
    expect(decodeIncidentCursor(issued)).toEqual(position);
  });

  it('gives back the position it encoded', () => {
    expect(decodeIncidentCursor(encodeIncidentCursor(position))).toEqual(position);
  });

  it.each([
    ['not base64url JSON', "';--"],
    ['an object', base64url('{"openedAt":1,"id":"x"}')],
    ['a fractional time', base64url('[1.5,"x"]')],
    ['a time as a string', base64url('["2026-05-01T08:00:00Z","x"]')],
    ['a numeric id', base64url('[1777622400123,7]')],
    ['a time past what a Date holds', base64url('[9000000000000000,"x"]')],
    ['a time before the year 0000', base64url('[-8000000000000000,"x"]')],
    ['a time after the year 9999', base64url('[253402300800000,"x"]')],
  ])('rejects %s as not issued by this API', (_, cursor) => {
    expect(() => decodeIncidentCursor(cursor)).toThrow(ValidationFailedError);
  });

  it('accepts the first and last instants of four-digit years', () => {
    for (const at of ['0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) {
      const openedAt = new Date(at);
      expect(decodeIncidentCursor(encodeIncidentCursor({ openedAt, id: 'x' })).openedAt).toEqual(openedAt);
    }
  });
});
