import { ApiKeyAuth, CurrentPrincipal, type Principal, Roles } from '@ioc/auth';
import { ValidationFailedError } from '@ioc/observability';
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
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { mediaTypeOf } from '../cloudevents/cloudevents-http.codec';
import { ApiIngestResponses } from '../ingest-openapi';
import { IngestRateLimitGuard } from '../ingest-rate-limit.guard';
import type { IngestReceiptDto } from '../ingest-receipt.dto';
import { IngestService } from '../ingest.service';
import { mapEntity, NGSI_ENTITY_TYPES, notificationEntities } from './ngsi-ld.mapper';

/** NGSI-LD notifications are JSON, or JSON-LD when the broker sends the @context in the body. */
export const NGSI_LD_MEDIA_TYPES = ['application/json', 'application/ld+json'] as const;

/** The body is not an NGSI-LD notification at all (no `data` array of entities). */
export class InvalidNotificationError extends ValidationFailedError {
  constructor() {
    super([{ field: 'data', message: 'must be an array of entities' }], 'Not an NGSI-LD notification', {
      code: 'NGSI.INVALID_NOTIFICATION',
    });
  }
}

/**
 * The receiving end of an NGSI-LD subscription (ETSI GS CIM 009, "Notification"), so a city already running a
 * FIWARE context broker can point a subscription here. Entities map onto our events (see `ngsi-ld.mapper.ts`).
 */
@ApiTags('ngsi-ld')
@ApiKeyAuth()
@Roles('integrator')
@Controller('ngsi-ld/v1')
export class NgsiLdController {
  constructor(private readonly ingest: IngestService) {}

  @Post('notify')
  @HttpCode(HttpStatus.ACCEPTED)
  @UseGuards(IngestRateLimitGuard)
  @ApiOperation({
    summary: 'Receive an NGSI-LD notification',
    description:
      `Entities of types ${Object.keys(NGSI_ENTITY_TYPES).join(', ')}, normalized or keyValues: ` +
      'TrafficFlowObserved (refRoadSegment urn:ngsi-ld:RoadSegment:<segmentId>) → ioc.traffic.observation.v1; ' +
      'Alert (alertSource urn:ngsi-ld:Device:<cameraId>) → ioc.camera.detection.v1; ' +
      'Device (id urn:ngsi-ld:Device:<cameraId>, dateLastValueReported) → ioc.camera.heartbeat.v1. ' +
      'All-or-nothing like the CloudEvents route; the broker should add the X-API-Key header ' +
      '(subscription notification.endpoint.receiverInfo).',
  })
  @ApiConsumes(...NGSI_LD_MEDIA_TYPES)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['data'],
      properties: {
        id: { type: 'string' },
        type: { type: 'string', example: 'Notification' },
        subscriptionId: { type: 'string' },
        notifiedAt: { type: 'string', format: 'date-time' },
        data: { type: 'array', items: { type: 'object' } },
      },
    },
  })
  @ApiIngestResponses()
  notify(
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IngestReceiptDto> {
    const mediaType = mediaTypeOf(contentType);
    if (!NGSI_LD_MEDIA_TYPES.some((type) => type === mediaType)) {
      throw new UnsupportedMediaTypeException(
        `Content-Type must be one of ${NGSI_LD_MEDIA_TYPES.join(', ')}`,
      );
    }
    const entities = notificationEntities(body);
    if (entities === undefined) throw new InvalidNotificationError();
    return this.ingest.ingest(principal, entities.map(mapEntity));
  }
}
