import type { INestApplication } from '@nestjs/common';
import { type IEntryNestModule, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { urlencoded } from 'express';
import helmet from 'helmet';
import { iocValidationPipe } from '../errors/validation';
import { useIocLogger } from '../logging/use-ioc-logger';
import { answerClientErrors, byteSize, declaredLengthLimit, jsonBodyParser } from './request-body';

/** The JSON and form body limit when an app names none. */
const DEFAULT_JSON_LIMIT = '256kb';

/** What {@link createHttpService} needs to know about an app. */
export interface HttpServiceOptions {
  /** The service name, used as the OpenAPI title. */
  title: string;
  description: string;
  version?: string;
  /** Request body limit for JSON and forms (body-parser syntax, e.g. `256kb`); oversized bodies answer 413. */
  jsonLimit?: string;
  /**
   * The largest body any route of the app takes (multipart uploads, a route's own parser), in bytes; the JSON
   * limit when absent. A request whose `Content-Length` announces more is answered 413 before its body is read.
   */
  maxBodyBytes?: number;
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
 * Creates an app the same way in every service: JSON logs from the first line, security headers, bounded
 * and strict body parsing, the validation pipe that answers `VALIDATION.FAILED`, OpenAPI at `/docs` (UI)
 * and `/docs-json`, and shutdown hooks so SIGTERM lets consumers and the outbox relay finish their
 * transaction. What reaches a handler has passed the checks of `docs/architecture.md` "Input at the HTTP
 * edge".
 */
export async function createHttpService(
  rootModule: IEntryNestModule,
  options: HttpServiceOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  useIocLogger(app);
  answerClientErrors(app.getHttpServer());
  const limit = options.jsonLimit ?? DEFAULT_JSON_LIMIT;
  app.use(
    helmet({
      contentSecurityPolicy: {
        // Services speak plain HTTP behind the TLS-terminating ingress (and on a developer's machine); the
        // directive would have a browser fetch the /docs assets over HTTPS from a port that serves none.
        directives: { upgradeInsecureRequests: null },
      },
    }),
  );
  app.use(declaredLengthLimit(Math.max(byteSize(limit), options.maxBodyBytes ?? 0)));
  app.use(jsonBodyParser({ limit }));
  app.use(urlencoded({ extended: false, limit }));
  app.useGlobalPipes(iocValidationPipe());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, () => openApiDocument(app, options), { jsonDocumentUrl: 'docs-json' });
  return app;
}
