import { REPORT_STATUSES, type ReportStatus } from '@ioc/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { CursorPageQuery } from '@ioc/observability';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IDENTIFIER } from './create-report.dto';

/** Filters and paging of report lists. */
export class ListReportsQuery extends CursorPageQuery {
  @ApiPropertyOptional({ enum: REPORT_STATUSES })
  @IsOptional()
  @IsIn(REPORT_STATUSES)
  status?: ReportStatus;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(IDENTIFIER)
  categoryCode?: string;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(IDENTIFIER)
  adminUnitCode?: string;
}
