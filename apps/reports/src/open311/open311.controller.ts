import { ApiKeyAuth, Public, Roles } from '@ioc/auth';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  UseFilters,
} from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ReportNotFoundError } from '../reports/report.errors';
import { Open311CreateRequestDto, Open311JurisdictionQuery, Open311RequestsQuery } from './dto/open311.dto';
import { Open311ExceptionFilter } from './open311-exception.filter';
import {
  type Open311CreatedRequest,
  type Open311Request,
  Open311Service,
  type Open311ServiceDefinition,
  type Open311ServiceEntry,
} from './open311.service';

const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
const TRACKING_CODE = /^[A-Za-z0-9-]{4,32}$/;

/**
 * Open311 GeoReport v2 (JSON): discovery, services, service definitions, requests (POST with an integrator's
 * `api_key`, GET with the spec's filters), one request, token lookup. Errors in the spec's shape.
 */
@ApiTags('open311')
@Public()
@UseFilters(Open311ExceptionFilter)
@Controller('open311/v2')
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  @Get('discovery.json')
  @ApiOperation({ summary: 'Service discovery' })
  discovery(@Req() req: Request): object {
    const url = `${req.protocol}://${req.get('host') ?? 'localhost'}/open311/v2`;
    return {
      changeset: '2026-01-01T00:00:00Z',
      contact: 'The city operations center',
      key_service: 'API keys are issued to integrators by the operations center',
      endpoints: [
        {
          specification: SPECIFICATION,
          url,
          changeset: '2026-01-01T00:00:00Z',
          type: 'production',
          formats: ['application/json'],
        },
      ],
    };
  }

  @Get('services.json')
  services(@Query() query: Open311JurisdictionQuery): Promise<Open311ServiceEntry[]> {
    this.open311.checkJurisdiction(query.jurisdiction_id);
    return this.open311.services();
  }

  @Get('services/:code.json')
  definition(
    @Param('code') code: string,
    @Query() query: Open311JurisdictionQuery,
  ): Promise<Open311ServiceDefinition> {
    this.open311.checkJurisdiction(query.jurisdiction_id);
    return this.open311.definition(code);
  }

  @Post('requests.json')
  @HttpCode(201)
  @ApiKeyAuth({ query: true, body: true })
  @Roles('integrator')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Create a service request (an integrator API key is required)' })
  create(@Body() body: Open311CreateRequestDto): Promise<Open311CreatedRequest[]> {
    this.open311.checkJurisdiction(body.jurisdiction_id);
    return this.open311.create(body);
  }

  @Get('requests.json')
  requests(@Query() query: Open311RequestsQuery): Promise<Open311Request[]> {
    this.open311.checkJurisdiction(query.jurisdiction_id);
    return this.open311.requests({
      ...(query.service_request_id === undefined
        ? {}
        : { serviceRequestIds: query.service_request_id.split(',') }),
      ...(query.service_code === undefined ? {} : { serviceCodes: query.service_code.split(',') }),
      ...(query.status === undefined ? {} : { statuses: query.status }),
      ...(query.start_date === undefined ? {} : { startDate: new Date(query.start_date) }),
      ...(query.end_date === undefined ? {} : { endDate: new Date(query.end_date) }),
    });
  }

  @Get('requests/:id.json')
  request(@Param('id') id: string, @Query() query: Open311JurisdictionQuery): Promise<Open311Request[]> {
    this.open311.checkJurisdiction(query.jurisdiction_id);
    if (!TRACKING_CODE.test(id)) throw new ReportNotFoundError();
    return this.open311.request(id);
  }

  @Get('tokens/:token.json')
  token(
    @Param('token', new ParseUUIDPipe({ exceptionFactory: () => new ReportNotFoundError() })) token: string,
    @Query() query: Open311JurisdictionQuery,
  ): Promise<{ service_request_id: string; token: string }[]> {
    this.open311.checkJurisdiction(query.jurisdiction_id);
    return this.open311.token(token);
  }
}
