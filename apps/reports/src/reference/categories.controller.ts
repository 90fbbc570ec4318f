import { Public } from '@ioc/auth';
import { ApiErrorResponses } from '@ioc/observability';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ReferenceCatalog } from './reference-catalog';

/** A category as clients show it: names in both languages and the service level promised. */
export interface CategoryView {
  code: string;
  names: { vi: string; en: string };
  sla: { ackWithin: string; resolveWithin: string };
}

type CategoryNames = CategoryView['names'];
type CategorySla = CategoryView['sla'];

class CategoryNamesResponse implements CategoryNames {
  @ApiProperty() vi!: string;
  @ApiProperty() en!: string;
}

class CategorySlaResponse implements CategorySla {
  @ApiProperty({ description: 'ISO 8601 duration', example: 'PT4H' }) ackWithin!: string;
  @ApiProperty({ description: 'ISO 8601 duration', example: 'P3D' }) resolveWithin!: string;
}

class CategoryResponse implements CategoryView {
  @ApiProperty() code!: string;
  @ApiProperty({ type: CategoryNamesResponse }) names!: CategoryNamesResponse;
  @ApiProperty({ type: CategorySlaResponse }) sla!: CategorySlaResponse;
}

@ApiTags('citizens')
@Public()
@Controller('categories')
export class CategoriesController {
  constructor(private readonly catalog: ReferenceCatalog) {}

  @Get()
  @ApiOperation({ summary: 'Report categories with their SLA (ISO 8601 durations)' })
  @ApiOkResponse({ type: [CategoryResponse] })
  @ApiErrorResponses(500)
  async list(): Promise<CategoryView[]> {
    return (await this.catalog.categories()).map(({ category }) => ({
      code: category.code,
      names: { vi: category.names.vi, en: category.names.en },
      sla: { ackWithin: category.sla.ackWithin, resolveWithin: category.sla.resolveWithin },
    }));
  }
}
