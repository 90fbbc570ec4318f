import type { INestApplication } from '@nestjs/common';
import { type IEntryNestModule, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { iocValidationPipe } from '../errors/validation';
import { useIocLogger } from '../logging/use-ioc-logger';

/** What {@link createHttpService} needs to know about an app. */
export interface HttpServiceOptions {
  /** The service name, used as the OpenAPI title. */
  title: string;
  description: string;
  version?: string;
  /** Request body limit for JSON (body-parser syntax, e.g. `256kb`); oversized bodies answer 413. */
  jsonLimit?: string;
}

/** The OpenAPI document of an app, as served at `/docs-json` and written to `docs/openapi/`. */
export function openApiDocument(app: INestApplication, options: HttpServiceOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion(options.version ?? '1.0.0')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'api-key')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Creates an app the same way in every service: JSON logs from the first line, the validation pipe
 * that answers `VALIDATION.FAILED`, OpenAPI at `/docs` (UI) and `/docs-json`, a bounded body size,
 * and shutdown hooks so SIGTERM lets consumers and the outbox relay finish their transaction.
 */
export async function createHttpService(
  rootModule: IEntryNestModule,
  options: HttpServiceOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, { bufferLogs: true });
  useIocLogger(app);
  app.useBodyParser('json', { limit: options.jsonLimit ?? '256kb' });
  app.useBodyParser('urlencoded', { extended: false, limit: options.jsonLimit ?? '256kb' });
  app.useGlobalPipes(iocValidationPipe());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, () => openApiDocument(app, options), { jsonDocumentUrl: 'docs-json' });
  return app;
}
