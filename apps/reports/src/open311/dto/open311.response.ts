import { ApiResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { Open311Error } from '../open311-error.renderer';
import type {
  Open311CreatedRequest,
  Open311Request,
  Open311ServiceDefinition,
  Open311ServiceEntry,
} from '../open311.service';

// The classes implement the answers' interfaces, so the documented shape follows the served one.

class Open311EndpointResponse {
  @ApiProperty() specification!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ format: 'date-time' }) changeset!: string;
  @ApiProperty({ enum: ['production', 'test'] }) type!: string;
  @ApiProperty({ type: [String] }) formats!: string[];
}

export class Open311DiscoveryResponse {
  @ApiProperty({ format: 'date-time' }) changeset!: string;
  @ApiProperty() contact!: string;
  @ApiProperty() key_service!: string;
  @ApiProperty({ type: [Open311EndpointResponse] }) endpoints!: Open311EndpointResponse[];
}

export class Open311ServiceResponse implements Open311ServiceEntry {
  @ApiProperty() service_code!: string;
  @ApiProperty() service_name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'Whether the service has a definition with attributes' }) metadata!: boolean;
  @ApiProperty({ enum: ['realtime', 'batch', 'blackbox'] }) type!: 'realtime' | 'batch' | 'blackbox';
  @ApiProperty() keywords!: string;
  @ApiProperty() group!: string;
}

export class Open311ServiceDefinitionResponse implements Open311ServiceDefinition {
  @ApiProperty() service_code!: string;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'No service has attributes' })
  attributes!: never[];
}

export class Open311RequestResponse implements Open311Request {
  @ApiProperty() service_request_id!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: 'open' | 'closed';
  @ApiProperty({ type: String, nullable: true, description: "The agency's answer" })
  status_notes!: string | null;
  @ApiProperty() service_name!: string;
  @ApiProperty() service_code!: string;
  @ApiProperty({ type: String, nullable: true }) agency_responsible!: string | null;
  @ApiProperty({ type: String, nullable: true }) service_notice!: string | null;
  @ApiProperty({ format: 'date-time' }) requested_datetime!: string;
  @ApiProperty({ format: 'date-time' }) updated_datetime!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expected_datetime!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Always null' }) address_id!: null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Always null' }) zipcode!: null;
  @ApiProperty() lat!: number;
  @ApiProperty() long!: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Always null' }) media_url!: null;
}

export class Open311CreatedRequestResponse implements Open311CreatedRequest {
  @ApiProperty() service_request_id!: string;
  @ApiProperty({ description: 'Looks the request up at tokens/{token}' }) token!: string;
  @ApiProperty({ type: String, nullable: true }) service_notice!: string | null;
  @ApiProperty({ type: String, nullable: true }) account_id!: string | null;
}

export class Open311TokenResponse {
  @ApiProperty() service_request_id!: string;
  @ApiProperty() token!: string;
}

/** One error of a GeoReport v2 error answer. */
export class Open311ErrorResponse implements Open311Error {
  @ApiProperty({ description: 'The HTTP status', example: 404 }) code!: number;
  @ApiProperty() description!: string;
}

const OPEN311_ERROR_DESCRIPTIONS = {
  400: 'Invalid parameters: one error per invalid field',
  403: 'Missing or invalid api_key (GeoReport v2 answers 403 where HTTP says 401)',
  404: 'Unknown resource or jurisdiction_id',
  500: 'An unexpected failure; the description reveals nothing',
} as const;

/** Documents error answers of Open311 routes in the spec's shape: a list of `{ code, description }`. */
export function ApiOpen311Errors(
  ...statuses: readonly (keyof typeof OPEN311_ERROR_DESCRIPTIONS)[]
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: OPEN311_ERROR_DESCRIPTIONS[status],
        type: Open311ErrorResponse,
        isArray: true,
      }),
    ),
  );
}
