/**
 * What went wrong, independent of transport. The HTTP edge maps a kind to a status
 * ({@link IocExceptionFilter}); consumers use it to tell poison input from transient faults.
 */
export type IocErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

/** Machine-readable context of an error. Never put a reporter's name or phone here (docs/architecture.md, "Privacy"). */
export type IocErrorDetails = Readonly<Record<string, unknown>>;

/** Optional parts of an {@link IocError}: a more specific code, details and the underlying cause. */
export interface IocErrorOptions {
  code?: string;
  details?: IocErrorDetails;
  cause?: unknown;
}

/**
 * Base of every error a service, consumer or lib throws on purpose. `code` is stable
 * (`REPORT.NOT_FOUND`, `VALIDATION.FAILED`): clients and tests match on it, never on the message.
 * No Nest import here: services and Kafka consumers throw these too.
 */
export abstract class IocError extends Error {
  abstract readonly kind: IocErrorKind;
  readonly code: string;
  readonly details?: IocErrorDetails;

  protected constructor(message: string, defaultCode: string, options: IocErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? defaultCode;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** One invalid input field: a dotted path (`location.lat`) and what is wrong; never the value. */
export interface FieldError {
  field: string;
  message: string;
}

/** Input failed validation; `details.fields` lists every bad field. */
export class ValidationFailedError extends IocError {
  readonly kind = 'validation';
  readonly fields: readonly FieldError[];

  constructor(fields: readonly FieldError[], message = 'Validation failed', options: IocErrorOptions = {}) {
    super(message, 'VALIDATION.FAILED', { ...options, details: { ...options.details, fields } });
    this.fields = fields;
  }
}

/** The caller is not authenticated (missing, malformed, expired or untrusted credentials). */
export class UnauthorizedError extends IocError {
  readonly kind = 'unauthorized';
  constructor(message = 'Authentication required', options?: IocErrorOptions) {
    super(message, 'AUTH.UNAUTHORIZED', options);
  }
}

/** The caller is authenticated but lacks the role or scope. */
export class ForbiddenError extends IocError {
  readonly kind = 'forbidden';
  constructor(message = 'Forbidden', options?: IocErrorOptions) {
    super(message, 'AUTH.FORBIDDEN', options);
  }
}

/** The resource does not exist, or the caller may not know that it exists. */
export class NotFoundError extends IocError {
  readonly kind = 'not_found';
  constructor(message = 'Not found', options?: IocErrorOptions) {
    super(message, 'RESOURCE.NOT_FOUND', options);
  }
}

/** The request conflicts with the current state (duplicate, invalid transition, stale version). */
export class ConflictError extends IocError {
  readonly kind = 'conflict';
  constructor(message = 'Conflict', options?: IocErrorOptions) {
    super(message, 'RESOURCE.CONFLICT', options);
  }
}

/** The payload (body, batch, attachment) is larger than allowed. */
export class PayloadTooLargeError extends IocError {
  readonly kind = 'payload_too_large';
  constructor(message = 'Payload too large', options?: IocErrorOptions) {
    super(message, 'REQUEST.PAYLOAD_TOO_LARGE', options);
  }
}

/** The caller exceeded a rate limit; `retryAfterSeconds` becomes the `Retry-After` header at the HTTP edge. */
export class RateLimitedError extends IocError {
  readonly kind = 'rate_limited';
  readonly retryAfterSeconds?: number;

  constructor(message = 'Too many requests', retryAfterSeconds?: number, options: IocErrorOptions = {}) {
    super(message, 'REQUEST.RATE_LIMITED', {
      ...options,
      details: retryAfterSeconds === undefined ? options.details : { ...options.details, retryAfterSeconds },
    });
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A dependency (database, broker, identity provider) is unavailable; worth retrying later. */
export class ServiceUnavailableError extends IocError {
  readonly kind = 'unavailable';
  constructor(message = 'Service unavailable', options?: IocErrorOptions) {
    super(message, 'SERVICE.UNAVAILABLE', options);
  }
}

/** A bug or an invariant broken on our side; the HTTP edge never shows its message. */
export class InternalError extends IocError {
  readonly kind = 'internal';
  constructor(message = 'Internal error', options?: IocErrorOptions) {
    super(message, 'INTERNAL', options);
  }
}
