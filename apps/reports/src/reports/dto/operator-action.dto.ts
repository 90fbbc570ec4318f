import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IDENTIFIER } from './create-report.dto';

export class AssignReportDto {
  @ApiProperty({ maxLength: 64, example: 'AG-SXD' })
  @IsString()
  @MaxLength(64)
  @Matches(IDENTIFIER, { message: 'agencyId must be an agency id' })
  agencyId!: string;
}

export const REJECTION_KINDS = ['spam', 'duplicate', 'out-of-scope'] as const;

export class RejectReportDto {
  @ApiProperty({ enum: REJECTION_KINDS })
  @IsIn(REJECTION_KINDS)
  kind!: (typeof REJECTION_KINDS)[number];

  @ApiProperty({ minLength: 1, maxLength: 900 })
  @IsString()
  @MinLength(1)
  @MaxLength(900)
  reason!: string;
}
