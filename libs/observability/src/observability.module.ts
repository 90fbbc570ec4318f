import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { IocExceptionFilter } from './errors/ioc-exception.filter';
import { HttpObservation, HttpObservationMiddleware } from './logging/http-observation';
import { createRootLogger, type LoggingOptions } from './logging/logger-options';
import { RequestLog } from './logging/request-log';
import { HttpMetrics } from './metrics/http-metrics';
import { MetricsController } from './metrics/metrics.controller';

/** Options of {@link ObservabilityModule.forRoot}. */
export type ObservabilityOptions = LoggingOptions;

/**
 * Structured JSON logs (pino, behind Nest's `Logger` through nestjs-pino) with correlation and request ids
 * and redaction of personal data, Prometheus metrics at `GET /metrics`, and the global {@link IocExceptionFilter}. Import it
 * once in the app module, create the app with `{ bufferLogs: true }` and call `useIocLogger(app)`.
 */
@Module({})
export class ObservabilityModule implements NestModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const logger = createRootLogger(options);
    return {
      module: ObservabilityModule,
      // Nest's and the app's `Logger` write through the root logger, whose lines carry the request they are
      // written in (see createRootLogger); the request line is RequestLog's. nestjs-pino's pino-http
      // middleware is left out: it built two child loggers per request, a measurable part of a request's CPU
      // even when nothing was logged (docs/bench.md, "Reports").
      imports: [LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true, forRoutes: [] })],
      controllers: [MetricsController],
      providers: [
        HttpMetrics,
        HttpObservation,
        { provide: RequestLog, useValue: new RequestLog(logger) },
        { provide: APP_FILTER, useClass: IocExceptionFilter },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpObservationMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
