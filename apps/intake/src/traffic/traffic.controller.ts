import { Roles } from '@ioc/auth';
import { CONGESTION_LEVELS } from '@ioc/contracts';
import { ApiErrorResponses } from '@ioc/observability';
import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { TrafficService } from './traffic.service';

export class SegmentStatusDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ enum: CONGESTION_LEVELS, description: 'Absent until its first observation' })
  level?: string;
  @ApiPropertyOptional({ format: 'date-time' }) since?: string;
  @ApiPropertyOptional() speedKmh?: number;
  @ApiProperty() freeFlowKmh!: number;
  @ApiProperty() adminUnitCode!: string;
}

@ApiTags('traffic')
@ApiBearerAuth()
@ApiErrorResponses(401, 403)
@Controller('traffic')
export class TrafficController {
  constructor(private readonly traffic: TrafficService) {}

  @Get('segments')
  @Roles('operator', 'agency')
  @ApiOperation({ summary: 'Every monitored road segment with its congestion level' })
  @ApiOkResponse({ type: [SegmentStatusDto] })
  async segments(): Promise<SegmentStatusDto[]> {
    return (await this.traffic.list()).map((s) => ({
      id: s.id,
      ...(s.level === null ? {} : { level: s.level }),
      ...(s.levelSince === null ? {} : { since: s.levelSince.toISOString() }),
      ...(s.lastSpeedKmh === null ? {} : { speedKmh: s.lastSpeedKmh }),
      freeFlowKmh: s.freeFlowKmh,
      adminUnitCode: s.adminUnitCode,
    }));
  }
}
