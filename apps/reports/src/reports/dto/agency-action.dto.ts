import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class ResolveReportDto {
  @ApiProperty({ minLength: 1, maxLength: 4000, description: 'The answer shown to the citizen' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  answer!: string;
}

export class DeclineReportDto {
  @ApiProperty({ minLength: 1, maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason!: string;
}

export class CommentReportDto {
  @ApiProperty({ minLength: 1, maxLength: 4000, description: 'An internal note, never shown publicly' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  text!: string;
}
