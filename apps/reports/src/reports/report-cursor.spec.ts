import { ValidationFailedError } from '@ioc/observability';
import { decodeReportCursor, encodeReportCursor } from './report-cursor';

describe('the report list cursor', () => {
  it('decodes what it encodes', () => {
    const cursor = {
      submittedAt: new Date('2026-03-01T08:00:00.123Z'),
      id: '4a5c3822-b19e-4d18-9c87-a52322fdcca1',
    };

    expect(decodeReportCursor(encodeReportCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64url JSON', 'not-a-cursor'],
    ['an object', Buffer.from('{}').toString('base64url')],
    ['an id that is no report id', Buffer.from('[1,"x"]').toString('base64url')],
    ['a fractional time', Buffer.from('[1.5,"4a5c3822-b19e-4d18-9c87-a52322fdcca1"]').toString('base64url')],
    [
      'a time past year 9999',
      Buffer.from('[253402300800000,"4a5c3822-b19e-4d18-9c87-a52322fdcca1"]').toString('base64url'),
    ],
    ['an extra element', Buffer.from('[1,"4a5c3822-b19e-4d18-9c87-a52322fdcca1",2]').toString('base64url')],
  ])('refuses %s', (_name, cursor) => {
    expect(() => decodeReportCursor(cursor)).toThrow(ValidationFailedError);
  });
});
