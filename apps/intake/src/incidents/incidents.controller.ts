import { CurrentPrincipal, type Principal, Roles } from '@ioc/auth';
import { ValidationFailedError } from '@ioc/observability';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AssignIncidentDto,
  ClearIncidentDto,
  IncidentDto,
  IncidentPageDto,
  ListIncidentsQuery,
} from './dto/incident.dto';
import { IncidentsService } from './incidents.service';

const DEFAULT_LIMIT = 50;

/** Operators act on every incident; an agency sees and acts on the incidents assigned to it only. */
@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @Roles('operator', 'agency')
  @ApiOperation({ summary: 'Incidents, newest opened first (an agency: those assigned to it)' })
  @ApiOkResponse({ type: IncidentPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListIncidentsQuery,
  ): Promise<IncidentPageDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const items = await this.incidents.list(principal, {
      status: query.status,
      source: query.source,
      limit,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    });
    const last = items[items.length - 1];
    return {
      items: items.map(IncidentDto.of),
      ...(items.length === limit && last ? { nextCursor: encodeCursor(last.openedAt, last.id) } : {}),
    };
  }

  @Get(':id')
  @Roles('operator', 'agency')
  @ApiOkResponse({ type: IncidentDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<IncidentDto> {
    return IncidentDto.of(await this.incidents.get(principal, id));
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('operator', 'agency')
  @ApiOperation({ summary: 'Acknowledge an open or assigned incident' })
  @ApiOkResponse({ type: IncidentDto })
  async acknowledge(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<IncidentDto> {
    return IncidentDto.of(await this.incidents.acknowledge(principal, id));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: 'Assign a live incident to an agency' })
  @ApiOkResponse({ type: IncidentDto })
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
  async clear(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: ClearIncidentDto,
  ): Promise<IncidentDto> {
    return IncidentDto.of(await this.incidents.clear(principal, id, body.reason));
  }
}

function encodeCursor(openedAt: number, id: string): string {
  return Buffer.from(JSON.stringify([openedAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): { openedAt: number; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { openedAt: value[0] as number, id: value[1] as string };
    }
  } catch {
    // falls through to the validation error below
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'cursor is not one this API issued' }]);
}
