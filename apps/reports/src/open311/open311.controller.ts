import { ApiKeyAuth, Public, Roles } from '@ioc/auth';
import {
  Body,
  Controller,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Query,
  Req,
  UseInterceptors,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ReportNotFoundError } from '../reports/report.errors';
import { Open311CreateRequestDto, Open311JurisdictionQuery, Open311RequestsQuery } from './dto/open311.dto';
import {
  ApiOpen311Errors,
  Open311CreatedRequestResponse,
  Open311DiscoveryResponse,
  Open311RequestResponse,
  Open311ServiceDefinitionResponse,
  Open311ServiceResponse,
  Open311TokenResponse,
} from './dto/open311.response';
import { OPEN311_BASE_PATH } from './open311-error.renderer';
import { Open311FormatInterceptor, Open311Resource } from './open311-format.interceptor';
import { OPEN311_DOCUMENTS } from './open311.format';
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
 * Open311 GeoReport v2, each resource in XML (the spec's required format) and JSON: discovery, services,
 * service definitions, requests (POST with an integrator's `api_key`, GET with the spec's filters), one
 * request, token lookup. Errors in the spec's shape (Open311ErrorRenderer).
 */
@ApiTags('open311')
@Public()
@UseInterceptors(Open311FormatInterceptor)
@Controller(OPEN311_BASE_PATH.slice(1))
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  @Open311Resource('GET', 'discovery', OPEN311_DOCUMENTS.discovery)
  @ApiOperation({ summary: 'Service discovery' })
  @ApiOkResponse({ type: Open311DiscoveryResponse })
  @ApiOpen311Errors(500)
  discovery(@Req() req: Request): Open311DiscoveryResponse {
    const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${OPEN311_BASE_PATH}`;
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
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
  }

  @Open311Resource('GET', 'services', OPEN311_DOCUMENTS.services)
  @ApiOkResponse({ type: [Open311ServiceResponse] })
  @ApiOpen311Errors(400, 404)
  services(@Query() query: Open311JurisdictionQuery): Promise<Open311ServiceEntry[]> {
    this.open311.checkJurisdiction(query.jurisdiction_id);
    return this.open311.services();
  }

  @Open311Resource('GET', 'services/:code', OPEN311_DOCUMENTS.serviceDefinition)
  @ApiOkResponse({ type: Open311ServiceDefinitionResponse })
  @ApiOpen311Errors(400, 404)
  definition(
    @Param('code') code: string,
    @Query() query: Open311JurisdictionQuery,
  ): Promise<Open311ServiceDefinition> {
    this.open311.checkJurisdiction(query.jurisdiction_id);
    return this.open311.definition(code);
  }

  @Open311Resource('POST', 'requests', OPEN311_DOCUMENTS.serviceRequests)
  @HttpCode(201)
  @ApiKeyAuth({ query: true, body: true })
  @Roles('integrator')
  @ApiSecurity('api-key')
  @ApiCreatedResponse({ type: [Open311CreatedRequestResponse] })
  @ApiOpen311Errors(400, 403, 404)
  @ApiOperation({ summary: 'Create a service request (an integrator API key is required)' })
  create(@Body() body: Open311CreateRequestDto): Promise<Open311CreatedRequest[]> {
    this.open311.checkJurisdiction(body.jurisdiction_id);
    return this.open311.create(body);
  }

  @Open311Resource('GET', 'requests', OPEN311_DOCUMENTS.serviceRequests)
  @ApiOkResponse({ type: [Open311RequestResponse] })
  @ApiOpen311Errors(400, 404)
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

  @Open311Resource('GET', 'requests/:id', OPEN311_DOCUMENTS.serviceRequests)
  @ApiOkResponse({ type: [Open311RequestResponse] })
  @ApiOpen311Errors(400, 404)
  request(@Param('id') id: string, @Query() query: Open311JurisdictionQuery): Promise<Open311Request[]> {
    this.open311.checkJurisdiction(query.jurisdiction_id);
    if (!TRACKING_CODE.test(id)) throw new ReportNotFoundError();
    return this.open311.request(id);
  }

  @Open311Resource('GET', 'tokens/:token', OPEN311_DOCUMENTS.serviceRequests)
  @ApiOkResponse({ type: [Open311TokenResponse] })
  @ApiOpen311Errors(400, 404)
  token(
    @Param('token', new ParseUUIDPipe({ exceptionFactory: () => new ReportNotFoundError() })) token: string,
    @Query() query: Open311JurisdictionQuery,
  ): Promise<Open311TokenResponse[]> {
    this.open311.checkJurisdiction(query.jurisdiction_id);
    return this.open311.token(token);
  }
}
