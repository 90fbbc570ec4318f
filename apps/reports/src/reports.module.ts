import { HttpErrorRenderer } from '@ioc/observability';
import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { ReportsConfig } from './config';
import { Open311ErrorRenderer } from './open311/open311-error.renderer';
import { PhotoSanitizer } from './photos/photo-sanitizer';
import { Open311Controller } from './open311/open311.controller';
import { Open311Service } from './open311/open311.service';
import { CategoriesController } from './reference/categories.controller';
import { ReferenceCatalog, ReferenceSource } from './reference/reference-catalog';
import { DatabaseReferenceSource } from './reference/reference-data.repository';
import { AgencyReportsController } from './reports/agency-reports.controller';
import { OperatorReportsController } from './reports/operator-reports.controller';
import { OutboxReportEventPublisher, ReportEventPublisher } from './reports/report-event.publisher';
import { ReportsController } from './reports/reports.controller';
import { SubmissionPhotos, SubmissionPhotosMiddleware } from './reports/photo-uploads.interceptor';
import { ReportsPolicy } from './reports/reports.policy';
import { ReportsRepository } from './reports/reports.repository';
import { ReportsService } from './reports/reports.service';
import { IdempotencyService } from './reports/idempotency.service';
import { ReportPhotosService } from './reports/report-photos.service';
import { ReportRoutingService } from './reports/report-routing.service';
import { ReportStore } from './reports/report-store';
import { ReportViewsService } from './reports/report-views.service';
import { IdGenerator, RandomIdGenerator } from './common/ports';
import { SlaService } from './sla/sla.service';
import { SlaSweeper } from './sla/sla.sweeper';
import { ReportSubmissionsConsumer } from './submissions/report-submissions.consumer';

/** The reports feature: REST edges, the Kafka consumer, the rules and their ports. */
@Module({
  imports: [
    // Photos stay in memory until the service has checked and stripped them; limits answer 413 / 400.
    MulterModule.registerAsync({
      inject: [ReportsConfig],
      useFactory: (config: ReportsConfig) => ({
        limits: {
          files: config.REPORTS_MAX_PHOTOS,
          fileSize: config.REPORTS_MAX_PHOTO_BYTES,
          fields: 4,
          fieldSize: 64 * 1024,
          parts: config.REPORTS_MAX_PHOTOS + 4,
        },
      }),
    }),
  ],
  controllers: [
    ReportsController,
    AgencyReportsController,
    OperatorReportsController,
    CategoriesController,
    Open311Controller,
  ],
  providers: [
    { provide: IdGenerator, useClass: RandomIdGenerator },
    {
      provide: ReferenceSource,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new DatabaseReferenceSource(dataSource),
    },
    {
      provide: ReferenceCatalog,
      inject: [ReferenceSource, ReportsConfig],
      useFactory: (source: ReferenceSource, config: ReportsConfig) =>
        new ReferenceCatalog(source, config.REPORTS_REFERENCE_TTL),
    },
    { provide: ReportEventPublisher, useClass: OutboxReportEventPublisher },
    {
      provide: ReportsPolicy,
      inject: [ReportsConfig],
      useFactory: (config: ReportsConfig) =>
        new ReportsPolicy(
          config.REPORTS_AUTO_CLOSE_AFTER,
          config.REPORTS_REOPEN_WINDOW,
          config.REPORTS_IDEMPOTENCY_TTL,
          config.REPORTS_MAX_PHOTOS,
        ),
    },
    {
      provide: PhotoSanitizer,
      inject: [ReportsConfig],
      useFactory: (config: ReportsConfig) =>
        new PhotoSanitizer({
          maxInputPixels: config.REPORTS_MAX_PHOTO_PIXELS,
          maxEdgePixels: config.REPORTS_MAX_PHOTO_EDGE,
        }),
    },
    ReportsRepository,
    ReportStore,
    ReportRoutingService,
    ReportViewsService,
    ReportPhotosService,
    IdempotencyService,
    ReportsService,
    SlaService,
    SlaSweeper,
    ReportSubmissionsConsumer,
    Open311Service,
    { provide: HttpErrorRenderer, useClass: Open311ErrorRenderer },
    SubmissionPhotos,
  ],
})
export class ReportsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SubmissionPhotosMiddleware).forRoutes({ path: 'reports', method: RequestMethod.POST });
  }
}
