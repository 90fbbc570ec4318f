import { decodeKeysetCursor, encodeKeysetCursor } from '@ioc/observability';

/** Where a page of incidents (newest opened first) ends: the next page holds those before it. */
export interface IncidentCursor {
  openedAt: Date;
  id: string;
}

/**
 * The opaque `cursor` of `GET /incidents`, a keyset cursor of `@ioc/observability`: its wire form
 * (`[openedAt epoch milliseconds, id]`) predates the `Date` in the domain type, so cursors already handed out
 * stay valid.
 */
export function encodeIncidentCursor({ openedAt, id }: IncidentCursor): string {
  return encodeKeysetCursor({ at: openedAt, id });
}

/** @throws ValidationFailedError for anything {@link encodeIncidentCursor} did not write */
export function decodeIncidentCursor(cursor: string): IncidentCursor {
  const { at, id } = decodeKeysetCursor(cursor);
  return { openedAt: at, id };
}
