import type { ReportStatus } from '@ioc/contracts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationFailedError,
} from '@ioc/observability';

/** No such report, or one the caller may not know exists (another agency's answers the same). */
export class ReportNotFoundError extends NotFoundError {
  constructor() {
    super('Report not found', { code: 'REPORT.NOT_FOUND' });
  }
}

/** The action does not apply in the report's current state; the body carries that state. */
export class InvalidTransitionError extends ConflictError {
  constructor(
    readonly status: ReportStatus,
    readonly action: string,
  ) {
    super(`Cannot ${action} a report that is ${status}`, {
      code: 'REPORT.INVALID_TRANSITION',
      details: { status, action },
    });
  }
}

export class UnknownCategoryError extends ValidationFailedError {
  constructor() {
    super([{ field: 'categoryCode', message: 'is not a known report category' }], 'Unknown report category', {
      code: 'REPORT.UNKNOWN_CATEGORY',
    });
  }
}

/** The point lies in none of the city's administrative units. */
export class OutsideCityError extends ValidationFailedError {
  constructor() {
    super([{ field: 'location', message: 'is outside the city' }], 'The location is outside the city', {
      code: 'REPORT.OUTSIDE_CITY',
    });
  }
}

export class UnknownAgencyError extends ValidationFailedError {
  constructor() {
    super([{ field: 'agencyId', message: 'is not a known agency' }], 'Unknown agency', {
      code: 'REPORT.UNKNOWN_AGENCY',
    });
  }
}

/** The citizen's secret does not match the tracking code. */
export class InvalidReportSecretError extends ForbiddenError {
  constructor() {
    super('The secret does not match this report', { code: 'REPORT.INVALID_SECRET' });
  }
}

export class ReopenWindowClosedError extends ConflictError {
  constructor(status: ReportStatus) {
    super('The report can no longer be reopened', {
      code: 'REPORT.REOPEN_WINDOW_CLOSED',
      details: { status },
    });
  }
}

export class AlreadyRatedError extends ConflictError {
  constructor(status: ReportStatus) {
    super('The report has already been rated', { code: 'REPORT.ALREADY_RATED', details: { status } });
  }
}

/** The same `Idempotency-Key` came with a different request. */
export class IdempotencyKeyReusedError extends ConflictError {
  constructor() {
    super('The Idempotency-Key was used for a different request', { code: 'REPORT.IDEMPOTENCY_KEY_REUSED' });
  }
}

/** Two transactions registered the same channel id at once; the loser is retried and finds the winner's. */
export class ConcurrentRegistrationError extends ConflictError {
  constructor() {
    super('The report was registered concurrently', { code: 'REPORT.CONCURRENT_REGISTRATION' });
  }
}

/** A photo that is not a decodable JPEG or PNG, whatever its declared type or name. */
export class InvalidPhotoError extends ValidationFailedError {
  constructor(index: number) {
    super([{ field: `photos.${index}`, message: 'must be a JPEG or PNG image' }], 'Unsupported photo', {
      code: 'REPORT.INVALID_PHOTO',
    });
  }
}

/** A photo declaring more pixels than the service decodes (a decompression bomb, or simply too large). */
export class PhotoTooManyPixelsError extends PayloadTooLargeError {
  constructor(index: number, maxPixels: number) {
    super(`Photo ${index} has more than ${maxPixels} pixels`, {
      code: 'REPORT.PHOTO_TOO_MANY_PIXELS',
      details: { field: `photos.${index}`, maxPixels },
    });
  }
}

export class TooManyPhotosError extends ValidationFailedError {
  constructor(max: number) {
    super([{ field: 'photos', message: `at most ${max} photos` }], 'Too many photos', {
      code: 'REPORT.TOO_MANY_PHOTOS',
    });
  }
}

export class PhotoNotFoundError extends NotFoundError {
  constructor() {
    super('Photo not found', { code: 'REPORT.PHOTO_NOT_FOUND' });
  }
}
