import {
  KPI_DIMENSION_KINDS,
  KPI_DIRECTIONS,
  KPI_PERIODS,
  KPI_STATUSES,
  type KpiDimensionKind,
  type KpiPeriod,
} from '@ioc/contracts';
import { CursorPageQuery, DecimalNumber } from '@ioc/observability';
import { KPI_AGGREGATIONS, KPI_PILLARS, KPI_UNITS, type Kpi } from '@ioc/reference-data';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { KpiValue } from '../kpi-evaluator';

/** Same pattern as the contract's identifiers. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

class LocalizedNameDto {
  @ApiProperty() vi!: string;
  @ApiProperty() en!: string;
}

class TargetDto {
  @ApiProperty({ description: 'In force from this year until a later target' }) year!: number;
  @ApiProperty() value!: number;
  @ApiPropertyOptional({ description: 'Edge of the at-risk band; absent: 10% short of the target' })
  atRisk?: number;
  @ApiPropertyOptional({ enum: KPI_PERIODS, isArray: true, description: 'Absent: every period of the KPI' })
  periods?: string[];
  @ApiProperty({ enum: ['city-plan', 'operational-default'] }) source!: string;
}

class CompositeInputDto {
  @ApiProperty() kpi!: string;
  @ApiProperty() weight!: number;
}

export class KpiDefinitionDto {
  @ApiProperty({ example: 'report-answered-share' }) code!: string;
  @ApiProperty({ type: LocalizedNameDto }) names!: LocalizedNameDto;
  @ApiProperty({ enum: KPI_PILLARS }) pillar!: string;
  @ApiProperty({ enum: KPI_UNITS }) unit!: string;
  @ApiProperty({ enum: KPI_DIRECTIONS }) direction!: string;
  @ApiProperty({ enum: KPI_AGGREGATIONS }) aggregation!: string;
  @ApiProperty({ enum: KPI_PERIODS, isArray: true }) periods!: string[];
  @ApiProperty({ enum: KPI_DIMENSION_KINDS, isArray: true, description: 'Always `city` first' })
  dimensions!: string[];
  @ApiPropertyOptional({ description: 'Percentile KPIs: which one' }) percentile?: number;
  @ApiPropertyOptional({ type: [CompositeInputDto], description: 'Composite KPIs: inputs and weights' })
  inputs?: CompositeInputDto[];
  @ApiProperty({ type: [TargetDto] }) targets!: TargetDto[];

  static of(kpi: Kpi): KpiDefinitionDto {
    const { formula } = kpi;
    return {
      code: kpi.code,
      names: { vi: kpi.names.vi, en: kpi.names.en },
      pillar: kpi.pillar,
      unit: kpi.unit,
      direction: kpi.direction,
      aggregation: kpi.aggregation,
      periods: [...kpi.periods],
      dimensions: ['city', ...Object.keys(kpi.dimensions)],
      ...(formula.kind === 'percentile' ? { percentile: formula.percentile } : {}),
      ...(formula.kind === 'composite'
        ? { inputs: formula.inputs.map((i) => ({ kpi: i.kpi, weight: i.weight })) }
        : {}),
      targets: kpi.targets.map((t) => ({
        year: t.year,
        value: t.value,
        ...(t.atRisk === undefined ? {} : { atRisk: t.atRisk }),
        ...(t.periods === undefined ? {} : { periods: [...t.periods] }),
        source: t.source,
      })),
    };
  }
}

export class KpiCatalogDto {
  @ApiProperty({ type: [KpiDefinitionDto] }) items!: KpiDefinitionDto[];
}

class DimensionDto {
  @ApiProperty({ enum: KPI_DIMENSION_KINDS }) kind!: string;
  @ApiProperty() code!: string;
}

class ProjectionDto {
  @ApiProperty() value!: number;
  @ApiProperty({ enum: ['trend', 'so-far', 'final'] }) basis!: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) elapsedShare!: number;
}

export class KpiValueDto {
  @ApiProperty() kpiCode!: string;
  @ApiProperty({ type: DimensionDto }) dimension!: DimensionDto;
  @ApiProperty({ enum: KPI_PERIODS }) period!: string;
  @ApiProperty({ format: 'date-time' }) periodStart!: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive' }) periodEnd!: string;
  @ApiPropertyOptional({
    description: 'Absent while nothing defines it (e.g. a ratio with no denominator yet)',
  })
  value?: number;
  @ApiProperty({ enum: KPI_UNITS }) unit!: string;
  @ApiProperty({ enum: KPI_DIRECTIONS }) direction!: string;
  @ApiPropertyOptional() target?: number;
  @ApiPropertyOptional({ type: ProjectionDto }) projection?: ProjectionDto;
  @ApiPropertyOptional({ enum: KPI_STATUSES }) status?: string;
  @ApiProperty() sampleCount!: number;
  @ApiProperty({ description: 'Events that arrived after the grace period of this bucket' })
  lateCount!: number;

  static of(v: KpiValue): KpiValueDto {
    return {
      kpiCode: v.key.kpiCode,
      dimension: { kind: v.key.dimensionKind, code: v.key.dimensionCode },
      period: v.key.period,
      periodStart: v.key.periodStart.toISOString(),
      periodEnd: v.key.periodEnd.toISOString(),
      ...(v.value === undefined ? {} : { value: v.value }),
      unit: v.kpi.unit,
      direction: v.kpi.direction,
      ...(v.target === undefined ? {} : { target: v.target }),
      ...(v.projection === undefined ? {} : { projection: { ...v.projection } }),
      ...(v.status === undefined ? {} : { status: v.status }),
      sampleCount: v.sampleCount,
      lateCount: v.lateCount,
    };
  }
}

export class KpiValuePageDto {
  @ApiProperty({ type: [KpiValueDto] }) items!: KpiValueDto[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last page' })
  nextCursor?: string;
}

export class KpiHistoryDto {
  @ApiProperty({ type: [KpiValueDto], description: 'Oldest first, up to the bucket holding `at`' })
  items!: KpiValueDto[];
}

class RankedValueDto extends KpiValueDto {
  @ApiProperty({ description: "1 for the best value in the KPI's direction" }) rank!: number;
}

export class KpiRankingDto {
  @ApiProperty({ type: [RankedValueDto], description: 'Best first; values without a value are left out' })
  items!: RankedValueDto[];
}

class PeriodQuery {
  @ApiProperty({ enum: KPI_PERIODS })
  @IsIn(KPI_PERIODS)
  period!: KpiPeriod;

  @ApiPropertyOptional({ format: 'date-time', description: 'The bucket holding this instant (default now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
}

export class ValuesQuery extends CursorPageQuery {
  @ApiProperty({ enum: KPI_PERIODS })
  @IsIn(KPI_PERIODS)
  period!: KpiPeriod;

  @ApiPropertyOptional({ format: 'date-time', description: 'The bucket holding this instant (default now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;

  @ApiPropertyOptional({ description: 'Only this KPI' })
  @IsOptional()
  @IsString()
  @Matches(IDENTIFIER)
  kpi?: string;

  @ApiPropertyOptional({ enum: KPI_DIMENSION_KINDS })
  @IsOptional()
  @IsIn(KPI_DIMENSION_KINDS)
  dimensionKind?: KpiDimensionKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(IDENTIFIER)
  dimensionCode?: string;
}

export class HistoryQuery extends PeriodQuery {
  @ApiPropertyOptional({ enum: KPI_DIMENSION_KINDS, default: 'city' })
  @IsOptional()
  @IsIn(KPI_DIMENSION_KINDS)
  dimensionKind?: KpiDimensionKind;

  @ApiPropertyOptional({ description: "Default: the city's code for `city`" })
  @IsOptional()
  @IsString()
  @Matches(IDENTIFIER)
  dimensionCode?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 400, default: 12, description: 'How many periods' })
  @IsOptional()
  @DecimalNumber()
  @IsInt()
  @Min(1)
  @Max(400)
  limit?: number;
}

export class RankingQuery extends PeriodQuery {
  @ApiProperty({ enum: ['unit', 'agency', 'category', 'channel', 'sector'] })
  @IsIn(['unit', 'agency', 'category', 'channel', 'sector'])
  dimensionKind!: Exclude<KpiDimensionKind, 'city'>;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @DecimalNumber()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
