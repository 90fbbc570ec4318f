import { Public } from '@ioc/auth';
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReferenceCatalog } from './reference-catalog';

/** A category as clients show it: names in both languages and the service level promised. */
export interface CategoryView {
  code: string;
  names: { vi: string; en: string };
  sla: { ackWithin: string; resolveWithin: string };
}

@ApiTags('citizens')
@Public()
@Controller('categories')
export class CategoriesController {
  constructor(private readonly catalog: ReferenceCatalog) {}

  @Get()
  @ApiOperation({ summary: 'Report categories with their SLA (ISO 8601 durations)' })
  async list(): Promise<CategoryView[]> {
    return (await this.catalog.categories()).map(({ category }) => ({
      code: category.code,
      names: { vi: category.names.vi, en: category.names.en },
      sla: { ackWithin: category.sla.ackWithin, resolveWithin: category.sla.resolveWithin },
    }));
  }
}
