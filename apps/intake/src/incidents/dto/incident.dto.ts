import {
  DETECTION_CLASSES,
  INCIDENT_CLEARED_REASONS,
  INCIDENT_SEVERITIES,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  type DetectionClass,
  type IncidentClearedReason,
  type IncidentSeverity,
  type IncidentSource,
  type IncidentStatus,
} from '@ioc/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CursorPageQuery } from '@ioc/observability';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import type { Incident } from '../incident';

/** Same pattern as the contract's identifiers, so an assigned agency id is publishable. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

class GeoPointDto {
  @ApiProperty({ example: 20.848 }) lat!: number;
  @ApiProperty({ example: 106.702 }) lon!: number;
}

export class IncidentDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: INCIDENT_SOURCES }) source!: IncidentSource;
  @ApiPropertyOptional() cameraId?: string;
  @ApiPropertyOptional() segmentId?: string;
  @ApiProperty({ enum: DETECTION_CLASSES }) class!: DetectionClass;
  @ApiProperty({ enum: INCIDENT_SEVERITIES }) severity!: IncidentSeverity;
  @ApiProperty({ enum: INCIDENT_STATUSES }) status!: IncidentStatus;
  @ApiProperty({ description: 'Detections or observations merged' }) count!: number;
  @ApiProperty({ format: 'date-time' }) firstSeenAt!: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt!: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 1 }) peakConfidence?: number;
  @ApiProperty({ type: GeoPointDto }) location!: GeoPointDto;
  @ApiPropertyOptional() adminUnitCode?: string;
  @ApiPropertyOptional() agencyId?: string;
  @ApiPropertyOptional({ enum: INCIDENT_CLEARED_REASONS }) clearedReason?: IncidentClearedReason;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) acknowledgedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) clearedAt?: string;

  static of(incident: Incident): IncidentDto {
    return {
      id: incident.id,
      source: incident.source,
      ...(incident.source === 'camera'
        ? { cameraId: incident.subjectId }
        : { segmentId: incident.subjectId }),
      class: incident.class,
      severity: incident.severity,
      status: incident.status,
      count: incident.count,
      firstSeenAt: incident.firstSeenAt.toISOString(),
      lastSeenAt: incident.lastSeenAt.toISOString(),
      ...(incident.peakConfidence === null ? {} : { peakConfidence: incident.peakConfidence }),
      location: { lat: incident.lat, lon: incident.lon },
      ...(incident.adminUnitCode === null ? {} : { adminUnitCode: incident.adminUnitCode }),
      ...(incident.agencyId === null ? {} : { agencyId: incident.agencyId }),
      ...(incident.clearedReason === null ? {} : { clearedReason: incident.clearedReason }),
      openedAt: incident.openedAt.toISOString(),
      ...(incident.acknowledgedAt === null ? {} : { acknowledgedAt: incident.acknowledgedAt.toISOString() }),
      ...(incident.clearedAt === null ? {} : { clearedAt: incident.clearedAt.toISOString() }),
    };
  }
}

export class IncidentPageDto {
  @ApiProperty({ type: [IncidentDto] }) items!: IncidentDto[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last page' })
  nextCursor?: string;
}

export class ListIncidentsQuery extends CursorPageQuery {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES)
  status?: IncidentStatus;

  @ApiPropertyOptional({ enum: INCIDENT_SOURCES })
  @IsOptional()
  @IsIn(INCIDENT_SOURCES)
  source?: IncidentSource;
}

export class AssignIncidentDto {
  @ApiProperty({ description: 'Agency id from the city reference data', example: 'AG-SGTVT' })
  @IsString()
  @Matches(IDENTIFIER, { message: 'agencyId must be an identifier' })
  agencyId!: string;
}

export class ClearIncidentDto {
  @ApiProperty({ enum: ['resolved', 'false-alarm'] })
  @IsIn(['resolved', 'false-alarm'])
  reason!: 'resolved' | 'false-alarm';
}
