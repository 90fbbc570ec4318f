import { type ErrorBody, type FieldError, HttpErrorRenderer } from '@ioc/observability';
import { HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { OPEN311_DOCUMENTS, open311FormatOf, pathOf, serializeOpen311 } from './open311.format';

/** Where the Open311 routes live; every error under it is answered in the spec's shape. */
export const OPEN311_BASE_PATH = '/open311/v2';

/** One error as GeoReport v2 shapes it. */
export type Open311Error = { code: number; description: string };

/**
 * Answers every failure under {@link OPEN311_BASE_PATH} — validation, authentication, unknown resources, and
 * bodies the parser refused before any route ran — in the GeoReport v2 error shape, a list of
 * `{ code, description }` with the HTTP status as `code`, in the format the path asked for (`<errors><error>`
 * for `.xml`). The status and descriptions come from the same mapping as everywhere else, so a failure means
 * the same thing, except that a missing or invalid `api_key` is 403: GeoReport v2 "Errors" fixes 403 for it
 * where HTTP says 401.
 */
@Injectable()
export class Open311ErrorRenderer extends HttpErrorRenderer {
  handles(req: Request): boolean {
    const path = pathOf(req.originalUrl);
    return path === OPEN311_BASE_PATH || path.startsWith(`${OPEN311_BASE_PATH}/`);
  }

  render(error: ErrorBody, req: Request, res: Response): void {
    const status = error.statusCode === HttpStatus.UNAUTHORIZED ? HttpStatus.FORBIDDEN : error.statusCode;
    const fields = (error.details?.['fields'] ?? []) as readonly FieldError[];
    const errors: Open311Error[] =
      fields.length > 0
        ? fields.map((field) => ({ code: status, description: `${field.field} ${field.message}` }))
        : [{ code: status, description: error.message }];
    const { contentType, body } = serializeOpen311(
      OPEN311_DOCUMENTS.errors,
      errors,
      open311FormatOf(req.originalUrl),
    );
    res.status(status).setHeader('Content-Type', contentType);
    res.send(body);
  }
}
