import { jsonBodyParser } from '@ioc/observability';
import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { CONSTANTS } from 'cloudevents';
import { CloudEventsIngestController } from './cloudevents/cloudevents-ingest.controller';
import { IngestConfig, type IngestEnv, ingestEnv } from './ingest.config';
import { IngestPublisher, KafkaIngestPublisher } from './ingest.publisher';
import { IngestRateLimitGuard } from './ingest-rate-limit.guard';
import { IngestRateLimiter } from './ingest-rate.limiter';
import { IngestService } from './ingest.service';
import { NgsiLdController } from './ngsi/ngsi-ld.controller';

/** What {@link IngestModule.forRoot} reads from the app's config (intakeEnv includes ingestEnv). */
export type IngestModuleConfig = IngestEnv & { IOC_TOPIC_SUFFIX?: string };

// The service-wide JSON parser (createHttpService) reads only application/json; these routes also take the
// CloudEvents and JSON-LD media types, with a limit of their own and the same strictness (UTF-8, depth).
const EXTRA_JSON_TYPES = [CONSTANTS.MIME_CE_JSON, CONSTANTS.MIME_CE_BATCH, 'application/ld+json'];

/**
 * HTTP ingest for integrators who cannot speak Kafka: CloudEvents over HTTP at `POST /ingest/events` and NGSI-LD
 * notifications at `POST /ngsi-ld/v1/notify`, both authenticated by API key and published with acks=all. Needs the
 * global MessagingModule (EventProducer) and AuthModule with API keys.
 */
@Module({})
export class IngestModule implements NestModule {
  constructor(private readonly config: IngestConfig) {}

  static forRoot(config: IngestModuleConfig): DynamicModule {
    const ingest = Object.fromEntries(
      Object.keys(ingestEnv.shape).map((name) => [name, config[name as keyof IngestEnv]]),
    ) as IngestEnv;
    return {
      module: IngestModule,
      controllers: [CloudEventsIngestController, NgsiLdController],
      providers: [
        { provide: IngestConfig, useValue: Object.freeze(ingest) },
        {
          provide: IngestRateLimiter,
          useFactory: () =>
            new IngestRateLimiter(
              ingest.INTAKE_INGEST_RATE_LIMIT_PER_SECOND,
              ingest.INTAKE_INGEST_RATE_LIMIT_BURST,
            ),
        },
        { provide: IngestPublisher, useClass: KafkaIngestPublisher },
        IngestRateLimitGuard,
        IngestService,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(jsonBodyParser({ type: EXTRA_JSON_TYPES, limit: this.config.INTAKE_INGEST_MAX_BODY_BYTES }))
      .forRoutes(CloudEventsIngestController, NgsiLdController);
  }
}
