import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  ValidationPipe,
} from '@nestjs/common';
import { IsInt, IsString, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { toErrorResponse } from './error-response';
import {
  ConflictError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationFailedError,
} from './ioc-error';

class ReportNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Report ${id} not found`, { code: 'REPORT.NOT_FOUND', details: { reportId: id } });
  }
}

describe(toErrorResponse.name, () => {
  it.each([
    [
      new ValidationFailedError([{ field: 'title', message: 'title should not be empty' }]),
      400,
      'VALIDATION.FAILED',
    ],
    [new UnauthorizedError(), 401, 'AUTH.UNAUTHORIZED'],
    [new ForbiddenError(), 403, 'AUTH.FORBIDDEN'],
    [new ReportNotFoundError('R-1'), 404, 'REPORT.NOT_FOUND'],
    [
      new ConflictError('Cannot resolve a closed report', { code: 'REPORT.INVALID_TRANSITION' }),
      409,
      'REPORT.INVALID_TRANSITION',
    ],
    [new PayloadTooLargeError(), 413, 'REQUEST.PAYLOAD_TOO_LARGE'],
    [new RateLimitedError(), 429, 'REQUEST.RATE_LIMITED'],
    [new ServiceUnavailableError(), 503, 'SERVICE.UNAVAILABLE'],
  ])('maps %p to %d %s', (error, statusCode, code) => {
    expect(toErrorResponse(error)).toMatchObject({ statusCode, code, message: error.message });
  });

  it('keeps details of domain errors', () => {
    expect(toErrorResponse(new ReportNotFoundError('R-9'))).toEqual({
      statusCode: 404,
      code: 'REPORT.NOT_FOUND',
      message: 'Report R-9 not found',
      details: { reportId: 'R-9' },
      headers: {},
    });
  });

  it('turns retryAfterSeconds into a Retry-After header', () => {
    expect(toErrorResponse(new RateLimitedError('Slow down', 2.5))).toMatchObject({
      statusCode: 429,
      details: { retryAfterSeconds: 2.5 },
      headers: { 'Retry-After': '3' },
    });
  });

  it('hides the message and details of internal errors, keeping the code', () => {
    const sut = toErrorResponse(
      new InternalError('invariant broken for report R-1', { details: { table: 'x' } }),
    );

    expect(sut).toEqual({ statusCode: 500, code: 'INTERNAL', message: 'Internal server error', headers: {} });
  });

  it.each([
    new Error('connect ECONNREFUSED 10.0.0.5:5432'),
    new TypeError("Cannot read properties of undefined (reading 'id')"),
    'a thrown string',
    undefined,
  ])('answers %p with a bare 500', (thrown) => {
    expect(toErrorResponse(thrown)).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Internal server error',
      headers: {},
    });
  });

  describe('a dependency that cannot be reached or is not serving (Postgres down or restarting)', () => {
    const pgError = (code: string, message: string) =>
      Object.assign(new Error(message), { code, severity: 'FATAL' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), {
      code: 'ECONNREFUSED',
      errno: -111,
      address: '10.0.0.5',
      port: 5432,
    });

    it.each([
      ['the connection refused', refused],
      ['the server starting up', pgError('57P03', 'the database system is starting up')],
      ['the server shut down', pgError('57P01', 'terminating connection due to immediate shutdown command')],
      ['too many connections', pgError('53300', 'sorry, too many clients already')],
      ['the connection lost', new Error('Connection terminated unexpectedly')],
      ['a failed query wrapping it', Object.assign(new Error('query failed'), { driverError: refused })],
      ['an error caused by it', new Error('could not save', { cause: refused })],
    ])('answers %s with a 503 to retry, naming no host', (_case, thrown) => {
      expect(toErrorResponse(thrown)).toEqual({
        statusCode: 503,
        code: 'SERVICE.UNAVAILABLE',
        message: 'A dependency is unavailable; retry later',
        headers: {},
      });
    });

    it('still answers a failing statement with a bare 500', () => {
      expect(toErrorResponse(pgError('42601', 'syntax error at or near "SELCT"'))).toMatchObject({
        statusCode: 500,
        code: 'INTERNAL',
      });
    });
  });

  it('maps Nest HttpExceptions to HTTP.* codes', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /nope'))).toMatchObject({
      statusCode: 404,
      code: 'HTTP.NOT_FOUND',
      message: 'Cannot GET /nope',
    });
    expect(toErrorResponse(new HttpException('I am a teapot', 418))).toMatchObject({
      code: 'HTTP.I_AM_A_TEAPOT',
    });
    expect(toErrorResponse(new InternalServerErrorException('db password wrong'))).toMatchObject({
      statusCode: 500,
      code: 'HTTP.INTERNAL_SERVER_ERROR',
      message: 'Internal server error',
    });
  });

  it('hides the body fragment quoted by a JSON syntax error', () => {
    const parseError = new BadRequestException(`Unexpected token 'N', "Nguyễn 0912345678" is not valid JSON`);

    expect(toErrorResponse(parseError)).toMatchObject({
      statusCode: 400,
      code: 'HTTP.BAD_REQUEST',
      message: 'Request body is not valid JSON',
    });
  });

  it('maps body-parser http-errors that are safe to expose', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
      type: 'entity.too.large',
    });
    const hidden = Object.assign(new Error('stream is not readable'), { status: 500, expose: false });

    expect(toErrorResponse(tooLarge)).toMatchObject({
      statusCode: 413,
      code: 'HTTP.PAYLOAD_TOO_LARGE',
      message: 'request entity too large',
    });
    expect(toErrorResponse(hidden)).toMatchObject({ statusCode: 500, code: 'INTERNAL' });
  });

  describe('validation errors of a default ValidationPipe', () => {
    class Location {
      @IsInt() lat!: number;
    }
    class CreateReport {
      @IsString() title!: string;
      @ValidateNested() @Type(() => Location) location!: Location;
    }

    it('become VALIDATION.FAILED with the field list', async () => {
      const pipe = new ValidationPipe();
      const thrown = await pipe
        .transform({ title: 7, location: { lat: 'x' } }, { type: 'body', metatype: CreateReport })
        .catch((error: unknown) => error);

      expect(toErrorResponse(thrown)).toEqual({
        statusCode: 400,
        code: 'VALIDATION.FAILED',
        message: 'Validation failed',
        details: {
          fields: [
            { field: 'title', message: 'title must be a string' },
            { field: 'location.lat', message: 'location.lat must be an integer number' },
          ],
        },
        headers: {},
      });
    });
  });
});
