import { HttpException, HttpStatus } from '@nestjs/common';
import { isDependencyUnavailable } from './dependency-failure';
import { IocError, type IocErrorDetails, type IocErrorKind, ServiceUnavailableError } from './ioc-error';

/** The body of every HTTP error answer (docs/architecture.md, "Observability"). */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: IocErrorDetails;
  correlationId: string;
}

/** An error translated for the HTTP edge, before the correlation id is added. */
export interface ErrorResponse {
  statusCode: number;
  code: string;
  message: string;
  details?: IocErrorDetails;
  headers: Record<string, string>;
}

const STATUS_BY_KIND: Record<IocErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
};

const INTERNAL: ErrorResponse = {
  statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
  code: 'INTERNAL',
  message: 'Internal server error',
  headers: {},
};

// Which dependency, and how it failed, is for the logs (the filter logs the original error), not the caller.
const DEPENDENCY_UNAVAILABLE = new ServiceUnavailableError('A dependency is unavailable; retry later');

/** The HTTP status an {@link IocError} answers with. */
export function httpStatusOf(error: IocError): number {
  return STATUS_BY_KIND[error.kind];
}

/**
 * Translates anything thrown while serving a request into the public error shape: our own errors
 * by kind, Nest's HttpExceptions and body-parser's http-errors as `HTTP.*` codes, a dependency that
 * could not be reached or is not serving (the database down or restarting: {@link isDependencyUnavailable})
 * as a 503 `SERVICE.UNAVAILABLE` to retry, the rest as a 500 that reveals nothing (no message, no stack).
 */
export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof IocError) return fromIocError(exception);
  if (exception instanceof HttpException) return fromHttpException(exception);
  if (isDependencyUnavailable(exception)) return fromIocError(DEPENDENCY_UNAVAILABLE);
  if (isExposedClientError(exception)) {
    return {
      statusCode: exception.status,
      code: httpCode(exception.status),
      message: exception.message,
      headers: {},
    };
  }
  return INTERNAL;
}

function fromIocError(error: IocError): ErrorResponse {
  const statusCode = httpStatusOf(error);
  if (statusCode >= 500 && error.kind === 'internal') return { ...INTERNAL, code: error.code };
  const headers: Record<string, string> = {};
  const retryAfter = error.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['Retry-After'] = String(Math.ceil(retryAfter));
  return {
    statusCode,
    code: error.code,
    message: error.message,
    ...(error.details === undefined ? {} : { details: error.details }),
    headers,
  };
}

function fromHttpException(exception: HttpException): ErrorResponse {
  const statusCode = exception.getStatus();
  if (statusCode >= 500) return { ...INTERNAL, statusCode, code: httpCode(statusCode) };
  const response = exception.getResponse();
  const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  // Nest's default ValidationPipe answers 400 with one "<property path> <constraint>" string per
  // failure; keep the field list machine-readable like our own ValidationFailedError.
  if (statusCode === HttpStatus.BAD_REQUEST && Array.isArray(message)) {
    const fields = message
      .filter((item): item is string => typeof item === 'string')
      .map((item) => ({ field: item.split(' ', 1)[0], message: item }));
    return {
      statusCode,
      code: 'VALIDATION.FAILED',
      message: 'Validation failed',
      details: { fields },
      headers: {},
    };
  }
  let text = typeof message === 'string' ? message : exception.message;
  // Nest turns body-parser's JSON SyntaxError into a 400 carrying the parser's message, which
  // quotes the start of the body; every V8 JSON.parse message mentions JSON.
  if (statusCode === HttpStatus.BAD_REQUEST && /\bJSON\b/.test(text)) text = 'Request body is not valid JSON';
  return { statusCode, code: httpCode(statusCode), message: text, headers: {} };
}

/** http-errors as thrown by body-parser (413 entity.too.large, 415 charset …): `expose` marks a safe message. */
function isExposedClientError(value: unknown): value is Error & { status: number } {
  if (!(value instanceof Error)) return false;
  const { status, expose } = value as Error & { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true;
}

function httpCode(status: number): string {
  const name = (HttpStatus as unknown as Record<number, string | undefined>)[status];
  return `HTTP.${name ?? status}`;
}
