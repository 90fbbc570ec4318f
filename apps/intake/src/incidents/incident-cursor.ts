import { ValidationFailedError } from '@ioc/observability';

/** Where a page of incidents (newest opened first) ends: the next page holds those before it. */
export interface IncidentCursor {
  openedAt: Date;
  id: string;
}

/**
 * The opaque `cursor` of `GET /incidents`: base64url of the JSON `[openedAt epoch milliseconds, id]`. The
 * wire form predates the `Date` in the domain type and is kept, so cursors already handed out stay valid.
 */
export function encodeIncidentCursor({ openedAt, id }: IncidentCursor): string {
  return Buffer.from(JSON.stringify([openedAt.getTime(), id])).toString('base64url');
}

// The instants RFC 3339 can write (four-digit years), which every time this API hands out is: a cursor
// outside them was not issued here, and Postgres or `Date` may not hold it.
const EARLIEST = Date.parse('0000-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** @throws ValidationFailedError for anything {@link encodeIncidentCursor} did not write */
export function decodeIncidentCursor(cursor: string): IncidentCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      Number.isSafeInteger(value[0]) &&
      (value[0] as number) >= EARLIEST &&
      (value[0] as number) <= LATEST &&
      typeof value[1] === 'string'
    ) {
      return { openedAt: new Date(value[0] as number), id: value[1] as string };
    }
  } catch {
    // falls through to the validation error below
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'cursor is not one this API issued' }]);
}
