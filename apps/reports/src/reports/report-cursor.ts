import { ValidationFailedError } from '@ioc/observability';

/** Where a page of reports (newest submitted first) ends: the next page holds those after it in that order. */
export interface ReportCursor {
  submittedAt: Date;
  id: string;
}

/** The opaque `cursor` of the report lists: base64url of the JSON `[submittedAt epoch milliseconds, id]`. */
export function encodeReportCursor({ submittedAt, id }: ReportCursor): string {
  return Buffer.from(JSON.stringify([submittedAt.getTime(), id])).toString('base64url');
}

// The instants RFC 3339 can write (four-digit years), which every time this API hands out is: a cursor
// outside them was not issued here, and Postgres or `Date` may not hold it.
const EARLIEST = Date.parse('0000-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** @throws ValidationFailedError for anything {@link encodeReportCursor} did not write */
export function decodeReportCursor(cursor: string): ReportCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      (value[0] as number) >= EARLIEST &&
      (value[0] as number) <= LATEST &&
      typeof value[1] === 'string' &&
      UUID.test(value[1])
    ) {
      return { submittedAt: new Date(value[0] as number), id: value[1] };
    }
  } catch {
    // falls through to the validation error below
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'cursor is not one this API issued' }]);
}
