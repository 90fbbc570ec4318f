import { CurrentPrincipal, type Principal, Roles } from '@ioc/auth';
import { ApiErrorResponses } from '@ioc/observability';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  HistoryQuery,
  KpiCatalogDto,
  KpiDefinitionDto,
  KpiHistoryDto,
  KpiRankingDto,
  KpiValueDto,
  KpiValuePageDto,
  RankingQuery,
  ValuesQuery,
} from './dto/kpi.dto';
import { KpiValuesService } from './kpi-values.service';

const DEFAULT_LIMIT = 50;

/**
 * The KPI catalog and values. Operators see every slice of the city (machine callers use an operator
 * token until a service role exists); an agency sees only its own agency dimension, and any other slice
 * answers like a missing one.
 */
@ApiTags('kpis')
@ApiBearerAuth()
@ApiErrorResponses(401, { status: 403, description: 'Not an operator or an agency' }, 503)
@Controller('kpis')
export class KpisController {
  constructor(private readonly kpis: KpiValuesService) {}

  @Get()
  @Roles('operator', 'agency')
  @ApiOperation({ summary: 'The KPI catalog: definitions, periods, dimensions and targets' })
  @ApiOkResponse({ type: KpiCatalogDto })
  async catalog(): Promise<KpiCatalogDto> {
    return { items: (await this.kpis.catalog()).map(KpiDefinitionDto.of) };
  }

  @Get('values')
  @Roles('operator', 'agency')
  @ApiOperation({
    summary: "Values of one period's current bucket (or the one holding `at`) with projection and status",
  })
  @ApiOkResponse({ type: KpiValuePageDto })
  @ApiErrorResponses(400)
  async values(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ValuesQuery,
  ): Promise<KpiValuePageDto> {
    const page = await this.kpis.current(principal, {
      period: query.period,
      at: query.at === undefined ? undefined : new Date(query.at),
      kpi: query.kpi,
      dimensionKind: query.dimensionKind,
      dimensionCode: query.dimensionCode,
      limit: query.limit ?? DEFAULT_LIMIT,
      cursor: query.cursor,
    });
    return {
      items: page.items.map(KpiValueDto.of),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  @Get(':code/history')
  @Roles('operator', 'agency')
  @ApiOperation({ summary: 'The last N periods of a KPI in one slice, oldest first (sparklines)' })
  @ApiParam({ name: 'code', example: 'report-answered-share' })
  @ApiOkResponse({ type: KpiHistoryDto })
  @ApiErrorResponses(400, 404)
  async history(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Query() query: HistoryQuery,
  ): Promise<KpiHistoryDto> {
    const items = await this.kpis.history(principal, code, {
      period: query.period,
      at: query.at === undefined ? undefined : new Date(query.at),
      dimensionKind: query.dimensionKind,
      dimensionCode: query.dimensionCode,
      limit: query.limit ?? 12,
    });
    return { items: items.map(KpiValueDto.of) };
  }

  @Get(':code/ranking')
  @Roles('operator', 'agency')
  @ApiOperation({
    summary: 'Units, agencies or categories ranked by a KPI, best first (an agency: its own row)',
  })
  @ApiParam({ name: 'code', example: 'report-on-time-share' })
  @ApiOkResponse({ type: KpiRankingDto })
  @ApiErrorResponses(400, 404)
  async ranking(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Query() query: RankingQuery,
  ): Promise<KpiRankingDto> {
    const items = await this.kpis.ranking(principal, code, {
      period: query.period,
      at: query.at === undefined ? undefined : new Date(query.at),
      dimensionKind: query.dimensionKind,
      limit: query.limit ?? 100,
    });
    return { items: items.map((v) => ({ ...KpiValueDto.of(v), rank: v.rank })) };
  }
}
