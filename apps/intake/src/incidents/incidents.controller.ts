import { CurrentPrincipal, type Principal, Roles } from '@ioc/auth';
import { ApiErrorResponses } from '@ioc/observability';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AssignIncidentDto,
  ClearIncidentDto,
  IncidentDto,
  IncidentPageDto,
  ListIncidentsQuery,
} from './dto/incident.dto';
import { decodeIncidentCursor, encodeIncidentCursor } from './incident-cursor';
import { IncidentsService } from './incidents.service';

const DEFAULT_LIMIT = 50;

/** Operators act on every incident; an agency sees and acts on the incidents assigned to it only. */
@ApiTags('incidents')
@ApiBearerAuth()
@ApiErrorResponses(401, {
  status: 403,
  description: 'Not an operator or an agency (assign: not an operator)',
})
@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @Roles('operator', 'agency')
  @ApiOperation({ summary: 'Incidents, newest opened first (an agency: those assigned to it)' })
  @ApiOkResponse({ type: IncidentPageDto })
  @ApiErrorResponses(400)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListIncidentsQuery,
  ): Promise<IncidentPageDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const items = await this.incidents.list(principal, {
      status: query.status,
      source: query.source,
      limit,
      after: query.cursor === undefined ? undefined : decodeIncidentCursor(query.cursor),
    });
    const last = items[items.length - 1];
    return {
      items: items.map(IncidentDto.of),
      ...(items.length === limit && last ? { nextCursor: encodeIncidentCursor(last) } : {}),
    };
  }

  @Get(':id')
  @Roles('operator', 'agency')
  @ApiOkResponse({ type: IncidentDto })
  @ApiErrorResponses(404)
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<IncidentDto> {
    return IncidentDto.of(await this.incidents.get(principal, id));
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('operator', 'agency')
  @ApiOperation({ summary: 'Acknowledge an open or assigned incident' })
  @ApiOkResponse({ type: IncidentDto })
  @ApiErrorResponses(404, 409)
  async acknowledge(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<IncidentDto> {
    return IncidentDto.of(await this.incidents.acknowledge(principal, id));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: 'Assign a live incident to an agency' })
  @ApiOkResponse({ type: IncidentDto })
  @ApiErrorResponses(400, 404, 409)
  async assign(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: AssignIncidentDto,
  ): Promise<IncidentDto> {
    return IncidentDto.of(await this.incidents.assign(principal, id, body.agencyId));
  }

  @Post(':id/clear')
  @HttpCode(200)
  @Roles('operator', 'agency')
  @ApiOperation({ summary: 'Clear a live incident as resolved or a false alarm' })
  @ApiOkResponse({ type: IncidentDto })
  @ApiErrorResponses(400, 404, 409)
  async clear(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: ClearIncidentDto,
  ): Promise<IncidentDto> {
    return IncidentDto.of(await this.incidents.clear(principal, id, body.reason));
  }
}
