import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DecimalNumber } from '@ioc/observability';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IDENTIFIER, PHONE } from '../../reports/dto/create-report.dto';

/** `jurisdiction_id`, accepted on every call (GeoReport v2). */
export class Open311JurisdictionQuery {
  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  jurisdiction_id?: string;

  /** Open311 clients put the key in the query of a GET too; it is not needed there and ignored. */
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  api_key?: string;
}

/** `POST requests` — the GeoReport v2 field names, JSON or form-encoded. */
export class Open311CreateRequestDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  jurisdiction_id?: string;

  @ApiPropertyOptional({ description: 'The API key (or the X-API-Key header)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  api_key?: string;

  @ApiProperty({ maxLength: 64 })
  @IsString()
  @MaxLength(64)
  @Matches(IDENTIFIER, { message: 'must be a service code' })
  service_code!: string;

  @ApiProperty({ minimum: -90, maximum: 90 })
  @DecimalNumber()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiProperty({ minimum: -180, maximum: 180 })
  @DecimalNumber()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  long!: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  address_string?: string;

  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  description!: string;

  @ApiPropertyOptional({ maxLength: 254 })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  first_name?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  last_name?: string;

  @ApiPropertyOptional({ maxLength: 20 })
  @IsOptional()
  @IsString()
  @MinLength(6)
  @MaxLength(20)
  @Matches(PHONE, { message: 'must be digits, spaces and + . ( ) -' })
  phone?: string;

  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  device_id?: string;

  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  account_id?: string;
}

const STATUSES = ['open', 'closed'] as const;

/** `GET requests` filters (GeoReport v2). */
export class Open311RequestsQuery extends Open311JurisdictionQuery {
  @ApiPropertyOptional({
    description: 'Comma-separated ids; the other filters are then ignored',
    maxLength: 2000,
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(/^[A-Za-z0-9-]+(,[A-Za-z0-9-]+)*$/, { message: 'must be comma-separated request ids' })
  service_request_id?: string;

  @ApiPropertyOptional({ description: 'Comma-separated service codes', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]*(,[A-Za-z0-9][A-Za-z0-9._:-]*)*$/, {
    message: 'must be comma-separated service codes',
  })
  service_code?: string;

  @ApiPropertyOptional({ description: 'W3C date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  start_date?: string;

  @ApiPropertyOptional({ description: 'W3C date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  end_date?: string;

  @ApiPropertyOptional({ description: 'open or closed (comma-separated for both)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsIn(STATUSES, { each: true })
  status?: (typeof STATUSES)[number][];
}
