import { CurrentPrincipal, type Principal, Roles } from '@ioc/auth';
import { ApiErrorResponses } from '@ioc/observability';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { reportId } from './agency-reports.controller';
import { ListReportsQuery } from './dto/list-reports.query';
import { decodeReportCursor } from './report-cursor';
import { ReportPageResponse, ReportViewResponse } from './dto/report-views.response';
import { AssignReportDto, RejectReportDto } from './dto/operator-action.dto';
import type { ReportPage, ReportView } from './report-views';
import { ReportViewsService } from './report-views.service';
import { ReportsService } from './reports.service';

/** IOC operators: every report, the triage queue, assignment and rejection. */
@ApiTags('operators')
@ApiBearerAuth()
@ApiErrorResponses(401, { status: 403, description: 'Not an operator' })
@Roles('operator')
@Controller('operator/reports')
export class OperatorReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly views: ReportViewsService,
  ) {}

  @Get()
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

  @Get('triage')
  @ApiOperation({ summary: 'Reports no rule routed, declined by their agency, or reopened without a rule' })
  @ApiOkResponse({ type: ReportPageResponse })
  @ApiErrorResponses(400)
  triage(@CurrentPrincipal() principal: Principal, @Query() query: ListReportsQuery): Promise<ReportPage> {
    return this.views.triage(principal, {
      ...(query.categoryCode === undefined ? {} : { categoryCodes: [query.categoryCode] }),
      ...(query.adminUnitCode === undefined ? {} : { adminUnitCode: query.adminUnitCode }),
      limit: query.limit ?? 50,
      ...(query.cursor === undefined ? {} : { after: decodeReportCursor(query.cursor) }),
    });
  }

  @Get(':id')
  @ApiOkResponse({ type: ReportViewResponse })
  @ApiErrorResponses(404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', reportId) id: string): Promise<ReportView> {
    return this.views.get(principal, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign from triage, or re-assign an open report' })
  @ApiOkResponse({ type: ReportViewResponse })
  @ApiErrorResponses(400, 404, 409)
  assign(
    @CurrentPrincipal() principal: Principal,
    @Param('id', reportId) id: string,
    @Body() body: AssignReportDto,
  ): Promise<ReportView> {
    return this.reports.assign(principal, id, body.agencyId);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOkResponse({ type: ReportViewResponse })
  @ApiErrorResponses(400, 404, 409)
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', reportId) id: string,
    @Body() body: RejectReportDto,
  ): Promise<ReportView> {
    return this.reports.reject(principal, id, body.kind, body.reason);
  }

  @Post(':id/duplicate/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a likely duplicate: it is rejected as a duplicate of the linked report' })
  @ApiOkResponse({ type: ReportViewResponse })
  @ApiErrorResponses(404, 409)
  confirmDuplicate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', reportId) id: string,
  ): Promise<ReportView> {
    return this.reports.confirmDuplicate(principal, id);
  }

  @Post(':id/duplicate/dismiss')
  @HttpCode(200)
  @ApiOperation({ summary: 'Not a duplicate after all: the link is removed and the report is routed' })
  @ApiOkResponse({ type: ReportViewResponse })
  @ApiErrorResponses(404, 409)
  dismissDuplicate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', reportId) id: string,
  ): Promise<ReportView> {
    return this.reports.dismissDuplicate(principal, id);
  }
}
