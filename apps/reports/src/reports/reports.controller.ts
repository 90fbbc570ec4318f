import { Public } from '@ioc/auth';
import { ApiErrorResponses, iocValidationPipe, ValidationFailedError } from '@ioc/observability';
import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Req,
  StreamableFile,
  UploadedFiles,
} from '@nestjs/common';
import type { Request } from 'express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CitizenSecretDto, RateReportDto, ReopenReportDto } from './dto/citizen-action.dto';
import { CreateReportDto } from './dto/create-report.dto';
import {
  ApiPhotoResponse,
  PublicReportViewResponse,
  SubmissionReceiptResponse,
} from './dto/report-views.response';
import { PhotoNotFoundError, ReportNotFoundError } from './report.errors';
import { ReportPhotosService } from './report-photos.service';
import type { PublicReportView, SubmissionReceipt } from './report-views';
import { ReportViewsService } from './report-views.service';
import { ReportsService } from './reports.service';

// Printable ASCII, as the IETF Idempotency-Key draft allows; a UUID fits well within it.
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;
const TRACKING_CODE = /^[A-Za-z0-9-]{4,32}$/;

/** Citizens: submit, track by code, confirm, reopen and rate with code + secret. No account needed. */
@ApiTags('citizens')
@Public()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly views: ReportViewsService,
    private readonly photos: ReportPhotosService,
  ) {}

  private parse(value: unknown): Promise<CreateReportDto> {
    return validation.transform(value, {
      type: 'body',
      metatype: CreateReportDto,
    }) as Promise<CreateReportDto>;
  }

  // The photos are read by SubmissionPhotosMiddleware (see reports.module.ts).
  @Post()
  @ApiOperation({
    summary: 'Submit a report; the answer carries the tracking code and the secret',
    description:
      'JSON, or multipart/form-data with the report as JSON in the `report` field and up to ' +
      'REPORTS_MAX_PHOTOS JPEG or PNG files in `photos` (metadata such as EXIF location is stripped).',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: CreateReportDto })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key returns the first answer',
  })
  @ApiCreatedResponse({ type: SubmissionReceiptResponse })
  @ApiErrorResponses(
    400,
    { status: 409, description: 'REPORT.IDEMPOTENCY_KEY_REUSED: the key came with a different report' },
    { status: 413, description: 'The body, or a photo, is over the limit' },
  )
  async submit(
    @Req() req: Request,
    @Body() body: unknown,
    @UploadedFiles() photos: readonly { buffer: Buffer }[] | undefined,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<SubmissionReceipt> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
      throw new ValidationFailedError([
        { field: 'Idempotency-Key', message: 'must be 1-255 printable characters' },
      ]);
    const dto = await this.parse(req.is('multipart/form-data') ? reportField(body) : body);
    return this.reports.submit(
      {
        channel: dto.channel ?? 'app',
        categoryCode: dto.categoryCode,
        description: dto.description,
        location: { lat: dto.location.lat, lon: dto.location.lon },
        ...(dto.addressText === undefined ? {} : { addressText: dto.addressText }),
        ...(dto.reporter === undefined ? {} : { reporter: { ...dto.reporter } }),
      },
      idempotencyKey,
      (photos ?? []).map((photo) => photo.buffer),
    );
  }

  @Get('track/:code')
  @ApiOperation({ summary: 'Public tracking: status, timeline and answer; never personal data' })
  @ApiOkResponse({ type: PublicReportViewResponse })
  @ApiErrorResponses(404)
  track(@Param('code') code: string): Promise<PublicReportView> {
    return this.views.track(checkCode(code));
  }

  @Get('track/:code/answer-photos/:position')
  @ApiOperation({ summary: "A photo of the agency's answer (public with the answer)" })
  @ApiPhotoResponse()
  @ApiErrorResponses(404)
  async answerPhoto(
    @Param('code') code: string,
    @Param('position', new ParseIntPipe({ exceptionFactory: () => new PhotoNotFoundError() }))
    position: number,
  ): Promise<StreamableFile> {
    const photo = await this.photos.answerPhoto(checkCode(code), position);
    return new StreamableFile(photo.bytes, { type: photo.contentType, length: photo.bytes.length });
  }

  @Post('track/:code/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'The citizen accepts the answer; the report is closed' })
  @ApiCitizenActionResponses()
  confirm(@Param('code') code: string, @Body() body: CitizenSecretDto): Promise<PublicReportView> {
    return this.reports.confirm(checkCode(code), body.secret);
  }

  @Post('track/:code/reopen')
  @HttpCode(200)
  @ApiOperation({ summary: 'The citizen rejects the answer within the reopen window' })
  @ApiCitizenActionResponses()
  reopen(@Param('code') code: string, @Body() body: ReopenReportDto): Promise<PublicReportView> {
    return this.reports.reopen(checkCode(code), body.secret, body.reason);
  }

  @Post('track/:code/rate')
  @HttpCode(200)
  @ApiOperation({ summary: 'The citizen rates the handling, 1 to 5' })
  @ApiCitizenActionResponses()
  rate(@Param('code') code: string, @Body() body: RateReportDto): Promise<PublicReportView> {
    return this.reports.rate(checkCode(code), body.secret, body.rating, body.comment);
  }
}

/** The answers of a citizen's action with the tracking code and the secret. */
function ApiCitizenActionResponses(): MethodDecorator {
  return applyDecorators(
    ApiOkResponse({ type: PublicReportViewResponse }),
    ApiErrorResponses(
      400,
      { status: 403, description: 'REPORT.INVALID_SECRET: the secret does not match' },
      404,
      { status: 409, description: "Not allowed in the report's status (or the window has closed)" },
    ),
  );
}

// The same validation as every other body, applied here because the report may come inside a multipart field.
const validation = iocValidationPipe();

function reportField(body: unknown): unknown {
  const field =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).report : undefined;
  if (typeof field !== 'string')
    throw new ValidationFailedError([{ field: 'report', message: 'must be the report as a JSON string' }]);
  try {
    return JSON.parse(field) as unknown;
  } catch {
    throw new ValidationFailedError([{ field: 'report', message: 'must be valid JSON' }]);
  }
}

function checkCode(code: string): string {
  if (!TRACKING_CODE.test(code)) throw new ReportNotFoundError();
  return code.toUpperCase();
}
