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

/** @throws ValidationFailedError for anything {@link encodeIncidentCursor} did not write */
export function decodeIncidentCursor(cursor: string): IncidentCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { openedAt: new Date(value[0] as number), id: value[1] as string };
    }
  } catch {
    // falls through to the validation error below
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'cursor is not one this API issued' }]);
}
