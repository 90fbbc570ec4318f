import { Roles } from '@ioc/auth';
import { ApiErrorResponses, ValidationFailedError } from '@ioc/observability';
import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import { CameraStatusService } from './camera-status.service';

export class UptimeQuery {
  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true })
  to!: string;
}

class CameraUptimeDto {
  @ApiProperty() cameraId!: string;
  @ApiProperty() adminUnitCode!: string;
  @ApiProperty() onlineMs!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) uptime!: number;
}

class UnitUptimeDto {
  @ApiProperty() adminUnitCode!: string;
  @ApiProperty() cameras!: number;
  @ApiProperty({ minimum: 0, maximum: 1, description: 'Mean uptime of its cameras' }) uptime!: number;
}

export class UptimeReportDto {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time', description: 'Capped at now' }) to!: string;
  @ApiProperty({ type: [CameraUptimeDto] }) cameras!: CameraUptimeDto[];
  @ApiProperty({ type: [UnitUptimeDto] }) units!: UnitUptimeDto[];
}

export class CameraStatusDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ enum: ['online', 'offline'], description: 'Absent until its first heartbeat' })
  status?: string;
  @ApiPropertyOptional({ format: 'date-time' }) since?: string;
  @ApiPropertyOptional({ format: 'date-time' }) lastHeartbeatAt?: string;
  @ApiProperty() adminUnitCode!: string;
}

const MAX_WINDOW_MS = 366 * 24 * 3600 * 1000;

@ApiTags('cameras')
@ApiBearerAuth()
@ApiErrorResponses(401, 403)
@Controller('cameras')
export class CamerasController {
  constructor(private readonly cameras: CameraStatusService) {}

  @Get()
  @Roles('operator', 'agency')
  @ApiOperation({ summary: 'Every registered camera with its status' })
  @ApiOkResponse({ type: [CameraStatusDto] })
  async list(): Promise<CameraStatusDto[]> {
    return (await this.cameras.list()).map((c) => ({
      id: c.id,
      ...(c.status === null ? {} : { status: c.status }),
      ...(c.statusSince === null ? {} : { since: c.statusSince.toISOString() }),
      ...(c.lastHeartbeatAt === null ? {} : { lastHeartbeatAt: c.lastHeartbeatAt.toISOString() }),
      adminUnitCode: c.adminUnitCode,
    }));
  }

  @Get('uptime')
  @Roles('operator')
  @ApiOperation({ summary: 'Uptime per camera and administrative unit over [from, to), for the KPI service' })
  @ApiOkResponse({ type: UptimeReportDto })
  @ApiErrorResponses(400)
  async uptime(@Query() query: UptimeQuery): Promise<UptimeReportDto> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (!(from < to) || to.getTime() - from.getTime() > MAX_WINDOW_MS) {
      throw new ValidationFailedError([
        { field: 'to', message: 'to must be after from, at most 366 days later' },
      ]);
    }
    return this.cameras.uptime(from, to);
  }
}
