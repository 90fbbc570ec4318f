import { ValidationFailedError } from './ioc-error';

/** Where a page of a list ordered by (instant, id) ends: the next page holds what comes after it. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

/** The opaque `cursor` of a keyset-paged list: base64url of the JSON `[epoch milliseconds, id]`. */
export function encodeKeysetCursor({ at, id }: KeysetPosition): string {
  return Buffer.from(JSON.stringify([at.getTime(), id])).toString('base64url');
}

// The instants RFC 3339 can write (four-digit years), which every time the services hand out is: a cursor
// outside them was not issued here, and Postgres or `Date` may not hold it.
const EARLIEST = Date.parse('0000-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Reads a cursor {@link encodeKeysetCursor} wrote; `idPattern` narrows the ids the list can hold.
 * @throws ValidationFailedError (`VALIDATION.FAILED`, field `cursor`) for anything else
 */
export function decodeKeysetCursor(cursor: string, idPattern?: RegExp): KeysetPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      (value[0] as number) >= EARLIEST &&
      (value[0] as number) <= LATEST &&
      typeof value[1] === 'string' &&
      (idPattern === undefined || idPattern.test(value[1]))
    ) {
      return { at: new Date(value[0] as number), id: value[1] };
    }
  } catch {
    // falls through to the validation error below
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'cursor is not one this API issued' }]);
}
