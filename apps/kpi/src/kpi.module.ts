import { Module } from '@nestjs/common';
import { CatalogService } from './catalog/catalog.service';
import { ComputationService } from './computation/computation.service';
import { KpiSourcesConsumer } from './computation/kpi-sources.consumer';
import { ProjectionRepository } from './computation/projection.repository';
import { KpiPublisher } from './publishing/kpi.publisher';
import { KpiPublisherService } from './publishing/kpi-publisher.service';
import { PublicationsRepository } from './publishing/publications.repository';
import { ReferenceDataRepository } from './reference/reference-data.repository';
import { KpiEvaluator } from './values/kpi-evaluator';
import { KpisController } from './values/kpis.controller';
import { KpiValuesService } from './values/kpi-values.service';
import { ValuesRepository } from './values/values.repository';

/** The KPI projection (source topics → aggregates), its publisher and its REST reads. */
@Module({
  controllers: [KpisController],
  providers: [
    ReferenceDataRepository,
    ProjectionRepository,
    ValuesRepository,
    PublicationsRepository,
    CatalogService,
    ComputationService,
    KpiEvaluator,
    KpiValuesService,
    KpiPublisherService,
    KpiSourcesConsumer,
    KpiPublisher,
  ],
})
export class KpiModule {}
