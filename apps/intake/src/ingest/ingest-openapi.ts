import { applyDecorators } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiPayloadTooLargeResponse,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { IngestReceiptDto } from './ingest-receipt.dto';

/** The answers both ingest routes share, documented once. */
export function ApiIngestResponses(): MethodDecorator {
  return applyDecorators(
    ApiSecurity('api-key'),
    ApiAcceptedResponse({
      description: 'Every event acknowledged by Kafka (acks=all)',
      type: IngestReceiptDto,
    }),
    ApiBadRequestResponse({
      description: 'Code INGEST.INVALID_EVENTS: nothing was published; details.events lists each bad event',
    }),
    ApiUnauthorizedResponse({ description: 'Missing, unknown or revoked API key (X-API-Key)' }),
    ApiForbiddenResponse({ description: "INGEST.TOPIC_NOT_ALLOWED: outside the key's scopes" }),
    ApiPayloadTooLargeResponse({
      description: 'Body over INTAKE_INGEST_MAX_BODY_BYTES or more than INTAKE_INGEST_MAX_BATCH_EVENTS',
    }),
    ApiUnsupportedMediaTypeResponse({ description: 'A content type this route does not accept' }),
    ApiTooManyRequestsResponse({ description: 'Rate limit of the API key; see Retry-After' }),
    ApiServiceUnavailableResponse({
      description: 'Kafka did not acknowledge; retry with the same event ids',
    }),
  );
}
