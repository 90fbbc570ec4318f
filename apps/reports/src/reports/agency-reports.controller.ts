import { CurrentPrincipal, type Principal, Roles } from '@ioc/auth';
import { ApiErrorResponses } from '@ioc/observability';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query,
  StreamableFile,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommentReportDto, DeclineReportDto, ResolveReportDto } from './dto/agency-action.dto';
import { ListReportsQuery } from './dto/list-reports.query';
import { decodeReportCursor } from './report-cursor';
import { ApiPhotoResponse, ReportPageResponse, ReportViewResponse } from './dto/report-views.response';
import { PhotoNotFoundError, ReportNotFoundError } from './report.errors';
import { PhotoUploads } from './photo-uploads.interceptor';
import { ReportPhotosService } from './report-photos.service';
import type { ReportPage, ReportView } from './report-views';
import { ReportViewsService } from './report-views.service';
import { ReportsService } from './reports.service';

/** A malformed id names no report: the same 404 as a missing one. */
export const reportId = new ParseUUIDPipe({ exceptionFactory: () => new ReportNotFoundError() });

/** Agencies (JWT with an agency claim): their own reports only; another agency's report is 404. */
@ApiTags('agencies')
@ApiBearerAuth()
@ApiErrorResponses(401, { status: 403, description: 'Not an agency' })
@Roles('agency')
@Controller('agency/reports')
export class AgencyReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly views: ReportViewsService,
    private readonly photos: ReportPhotosService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The agency's reports, newest first, with filters and paging" })
  @ApiOkResponse({ type: ReportPageResponse })
  @ApiErrorResponses(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListReportsQuery): Promise<ReportPage> {
    return this.views.list(principal, {
      ...(query.status === undefined ? {} : { statuses: [query.status] }),
      ...(query.categoryCode === undefined ? {} : { categoryCodes: [query.categoryCode] }),
      ...(query.adminUnitCode === undefined ? {} : { adminUnitCode: query.adminUnitCode }),
      limit: query.limit ?? 50,
      ...(query.cursor === undefined ? {} : { after: decodeReportCursor(query.cursor) }),
    });
  }

  @Get(':id')
  @ApiOperation({ summary: "One report with its timeline and the reporter's contact data" })
  @ApiOkResponse({ type: ReportViewResponse })
  @ApiErrorResponses(404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', reportId) id: string): Promise<ReportView> {
    return this.views.get(principal, id);
  }

  @Get(':id/photos/:position')
  @ApiOperation({ summary: "One of the citizen's photos (metadata stripped at submission)" })
  @ApiPhotoResponse()
  @ApiErrorResponses(404)
  async photo(
    @CurrentPrincipal() principal: Principal,
    @Param('id', reportId) id: string,
    @Param('position', new ParseIntPipe({ exceptionFactory: () => new PhotoNotFoundError() }))
    position: number,
  ): Promise<StreamableFile> {
    const photo = await this.photos.photo(principal, id, 'citizen', position);
    return new StreamableFile(photo.bytes, { type: photo.contentType, length: photo.bytes.length });
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: ReportViewResponse })
  @ApiErrorResponses(404, 409)
  acknowledge(
    @CurrentPrincipal() principal: Principal,
    @Param('id', reportId) id: string,
  ): Promise<ReportView> {
    return this.reports.acknowledge(principal, id);
  }

  @Post(':id/start')
  @HttpCode(200)
  @ApiOkResponse({ type: ReportViewResponse })
  @ApiErrorResponses(404, 409)
  start(@CurrentPrincipal() principal: Principal, @Param('id', reportId) id: string): Promise<ReportView> {
    return this.reports.start(principal, id);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @UseInterceptors(PhotoUploads('photos'))
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOkResponse({ type: ReportViewResponse })
  @ApiErrorResponses(400, 404, 409, { status: 413, description: 'The body, or a photo, is over the limit' })
  @ApiOperation({
    summary:
      'Resolve with the answer to the citizen; multipart adds `photos` (JPEG/PNG), public with the answer',
  })
  resolve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', reportId) id: string,
    @Body() body: ResolveReportDto,
    @UploadedFiles() photos: readonly { buffer: Buffer }[] | undefined,
  ): Promise<ReportView> {
    return this.reports.resolve(
      principal,
      id,
      body.answer,
      (photos ?? []).map((photo) => photo.buffer),
    );
  }

  @Post(':id/decline')
  @HttpCode(200)
  @ApiOperation({ summary: "Not this agency's remit: back to the operators' triage queue" })
  @ApiOkResponse({ type: ReportViewResponse })
  @ApiErrorResponses(400, 404, 409)
  decline(
    @CurrentPrincipal() principal: Principal,
    @Param('id', reportId) id: string,
    @Body() body: DeclineReportDto,
  ): Promise<ReportView> {
    return this.reports.decline(principal, id, body.reason);
  }

  @Post(':id/comments')
  @HttpCode(200)
  @ApiOkResponse({ type: ReportViewResponse })
  @ApiErrorResponses(400, 404, 409)
  comment(
    @CurrentPrincipal() principal: Principal,
    @Param('id', reportId) id: string,
    @Body() body: CommentReportDto,
  ): Promise<ReportView> {
    return this.reports.comment(principal, id, body.text);
  }
}
