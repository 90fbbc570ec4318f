import { ApiKeyAuth, CurrentPrincipal, type Principal, Roles } from '@ioc/auth';
import {
  Body,
  Controller,
  Headers,
  HttpCode,
  HttpStatus,
  Post,
  UnsupportedMediaTypeException,
  UseGuards,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiIngestResponses } from '../ingest-openapi';
import { IngestRateLimitGuard } from '../ingest-rate-limit.guard';
import type { IngestReceiptDto } from '../ingest-receipt.dto';
import { IngestService } from '../ingest.service';
import { CLOUDEVENTS_MEDIA_TYPES, contentModeOf, decodeHttpEvents } from './cloudevents-http.codec';

/** CloudEvents over HTTP (HTTP protocol binding 1.0) onto the inbound topics, for integrators without Kafka. */
@ApiTags('ingest')
@ApiKeyAuth()
@Roles('integrator')
@Controller('ingest')
export class CloudEventsIngestController {
  constructor(private readonly ingest: IngestService) {}

  @Post('events')
  @HttpCode(HttpStatus.ACCEPTED)
  @UseGuards(IngestRateLimitGuard)
  @ApiOperation({
    summary: 'Publish CloudEvents (binary, structured or batch mode)',
    description:
      'Binary mode: `ce-*` headers and the data as `application/json`. Structured: one event as ' +
      '`application/cloudevents+json`. Batch: a JSON array of events as `application/cloudevents-batch+json`. ' +
      'The topic follows from the event type; the subject is the Kafka key. A request is all-or-nothing. ' +
      'A repeated event id is accepted again; consumers deduplicate by id, so retrying is safe.',
  })
  @ApiConsumes(...Object.values(CLOUDEVENTS_MEDIA_TYPES))
  @ApiBody({ schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] } })
  @ApiHeader({ name: 'ce-id', required: false, description: 'Binary mode: event id' })
  @ApiHeader({ name: 'ce-specversion', required: false, description: 'Binary mode: 1.0' })
  @ApiHeader({ name: 'ce-type', required: false, description: 'Binary mode: e.g. ioc.camera.detection.v1' })
  @ApiHeader({ name: 'ce-source', required: false, description: 'Binary mode: the producing system' })
  @ApiHeader({ name: 'ce-subject', required: false, description: 'Binary mode: aggregate id (Kafka key)' })
  @ApiHeader({ name: 'ce-time', required: false, description: 'Binary mode: RFC 3339 time of the event' })
  @ApiIngestResponses()
  publish(
    @Headers() headers: IncomingHttpHeaders,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IngestReceiptDto> {
    const mode = contentModeOf(headers['content-type']);
    if (mode === undefined) {
      throw new UnsupportedMediaTypeException(
        `Content-Type must be one of ${Object.values(CLOUDEVENTS_MEDIA_TYPES).join(', ')}`,
      );
    }
    return this.ingest.ingest(principal, decodeHttpEvents(mode, { headers, body }));
  }
}
