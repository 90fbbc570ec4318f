import { applyDecorators, HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema } from '@nestjs/swagger';
import type { ErrorBody } from '../errors/error-response';

/** The body of every error answer, as the OpenAPI documents show it (the `ErrorBody` the filter writes). */
@ApiSchema({ name: 'ErrorBody' })
export class ErrorBodyDto implements ErrorBody {
  @ApiProperty({ description: 'The HTTP status', example: 404 })
  statusCode!: number;

  @ApiProperty({ description: 'A stable, machine-readable code', example: 'REPORT.NOT_FOUND' })
  code!: string;

  @ApiProperty({ description: 'What went wrong, for people' })
  message!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Further facts, e.g. `fields` (each `{ field, message }`) when validation failed',
  })
  details?: Readonly<Record<string, unknown>>;

  @ApiProperty({ description: 'The X-Correlation-Id of the request, to find it in the logs' })
  correlationId!: string;
}

/** What each status means wherever it is documented without a description of its own. */
const DEFAULT_DESCRIPTIONS = {
  [HttpStatus.BAD_REQUEST]: 'VALIDATION.FAILED: details.fields lists each invalid field',
  [HttpStatus.UNAUTHORIZED]: 'Missing or invalid credentials',
  [HttpStatus.FORBIDDEN]: 'The credentials do not allow this',
  [HttpStatus.NOT_FOUND]: 'Not found (or not visible to the caller)',
  [HttpStatus.CONFLICT]: 'Not allowed in the current state',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'The body is over the limit',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'A content type this route does not accept',
  [HttpStatus.TOO_MANY_REQUESTS]: 'Rate limited; see Retry-After',
  [HttpStatus.INTERNAL_SERVER_ERROR]: 'An unexpected failure; the body reveals nothing',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'A dependency is unavailable; retry later',
} as const;

/** An error status the shared error body documents. */
export type ErrorStatus = keyof typeof DEFAULT_DESCRIPTIONS;

/** An error answer to document: its status, or the status with what it means on this route. */
export type ErrorResponseSpec = ErrorStatus | { status: ErrorStatus; description: string };

/**
 * Documents error answers of a route (or of every route of a controller) with the shared error body
 * ({@link ErrorBodyDto}), e.g. `@ApiErrorResponses(400, 404, { status: 409, description: 'Already closed' })`.
 */
export function ApiErrorResponses(...errors: readonly ErrorResponseSpec[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...errors.map((error) => {
      const { status, description } =
        typeof error === 'number' ? { status: error, description: DEFAULT_DESCRIPTIONS[error] } : error;
      return ApiResponse({ status, description, type: ErrorBodyDto });
    }),
  );
}
