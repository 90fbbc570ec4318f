import { applyDecorators } from '@nestjs/common';
import { ApiErrorResponses } from '@ioc/observability';
import { ApiAcceptedResponse, ApiSecurity } from '@nestjs/swagger';
import { IngestReceiptDto } from './ingest-receipt.dto';

/** The answers both ingest routes share, documented once. */
export function ApiIngestResponses(): MethodDecorator {
  return applyDecorators(
    ApiSecurity('api-key'),
    ApiAcceptedResponse({
      description: 'Every event acknowledged by Kafka (acks=all)',
      type: IngestReceiptDto,
    }),
    ApiErrorResponses(
      {
        status: 400,
        description: 'Code INGEST.INVALID_EVENTS: nothing was published; details.events lists each bad event',
      },
      { status: 401, description: 'Missing, unknown or revoked API key (X-API-Key)' },
      { status: 403, description: "INGEST.TOPIC_NOT_ALLOWED: outside the key's scopes" },
      {
        status: 413,
        description: 'Body over INTAKE_INGEST_MAX_BODY_BYTES or more than INTAKE_INGEST_MAX_BATCH_EVENTS',
      },
      415,
      { status: 429, description: 'Rate limit of the API key; see Retry-After' },
      { status: 503, description: 'Kafka did not acknowledge; retry with the same event ids' },
    ),
  );
}
