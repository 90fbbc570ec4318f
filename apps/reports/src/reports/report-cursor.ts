import { decodeKeysetCursor, encodeKeysetCursor } from '@ioc/observability';

/** Where a page of reports (newest submitted first) ends: the next page holds those after it in that order. */
export interface ReportCursor {
  submittedAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The opaque `cursor` of the report lists, a keyset cursor of `@ioc/observability`. */
export function encodeReportCursor({ submittedAt, id }: ReportCursor): string {
  return encodeKeysetCursor({ at: submittedAt, id });
}

/** @throws ValidationFailedError for anything {@link encodeReportCursor} did not write */
export function decodeReportCursor(cursor: string): ReportCursor {
  const { at, id } = decodeKeysetCursor(cursor, UUID);
  return { submittedAt: at, id };
}
