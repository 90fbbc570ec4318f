import { type FieldError, toErrorResponse } from '@ioc/observability';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';

/** One error as GeoReport v2 shapes it. */
export interface Open311Error {
  code: number;
  description: string;
}

/**
 * Answers every failure of the Open311 routes in the GeoReport v2 error shape, an array of
 * `{ code, description }` with the HTTP status as `code`, instead of the IOC's own error body. The status and
 * the descriptions come from the same mapping as everywhere else, so a failure means the same thing, except
 * that a missing or invalid `api_key` is 403: GeoReport v2 "Errors" fixes 403 for it where HTTP says 401.
 */
@Catch()
export class Open311ExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(Open311ExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const mapped = toErrorResponse(exception);
    const response =
      mapped.statusCode === HttpStatus.UNAUTHORIZED
        ? { ...mapped, statusCode: HttpStatus.FORBIDDEN }
        : mapped;
    if (response.statusCode >= 500) this.logger.error({ msg: 'Open311 request failed', err: exception });
    const fields = (response.details?.['fields'] ?? []) as readonly FieldError[];
    const errors: Open311Error[] =
      fields.length > 0
        ? fields.map((field) => ({
            code: response.statusCode,
            description: `${field.field} ${field.message}`,
          }))
        : [{ code: response.statusCode, description: response.message }];
    const res = host.switchToHttp().getResponse<Response>();
    res.status(response.statusCode).set(response.headers).json(errors);
  }
}
