import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

/** Codes of reference data: the contracts' `Identifier` pattern. */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** A phone as people write it; the same rule as the submission contract. */
export const PHONE = /^\+?[0-9][0-9 .()-]*$/;
/** Channels a citizen reaches the REST API through; other channels come over Kafka. */
export const CITIZEN_CHANNELS = ['app', 'web'] as const;

export class LocationDto {
  @ApiProperty({ minimum: -90, maximum: 90, example: 20.8561 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiProperty({ minimum: -180, maximum: 180, example: 106.6822 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon!: number;
}

export class ReporterDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'Personal data: shown only to the assigned agency' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 20, description: 'Personal data: shown only to the assigned agency' })
  @IsOptional()
  @IsString()
  @MinLength(6)
  @MaxLength(20)
  @Matches(PHONE, { message: 'phone must be digits, spaces and + . ( ) -' })
  phone?: string;

  @ApiPropertyOptional({ maxLength: 254, description: 'Personal data: shown only to the assigned agency' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

/** A citizen's report, as submitted. */
export class CreateReportDto {
  @ApiProperty({
    maxLength: 64,
    example: 'street-lighting',
    description: 'A category code from GET /categories',
  })
  @IsString()
  @MaxLength(64)
  @Matches(IDENTIFIER, { message: 'categoryCode must be a category code' })
  categoryCode!: string;

  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  description!: string;

  @ApiProperty({ type: LocationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  location!: LocationDto;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  addressText?: string;

  @ApiPropertyOptional({ type: ReporterDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReporterDto)
  reporter?: ReporterDto;

  @ApiPropertyOptional({ enum: CITIZEN_CHANNELS, default: 'app' })
  @IsOptional()
  @IsIn(CITIZEN_CHANNELS)
  channel?: (typeof CITIZEN_CHANNELS)[number];
}
