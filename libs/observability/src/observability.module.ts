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
import { createRootLogger, httpLoggerOptions, type LoggingOptions } from './logging/logger-options';
import { HttpMetrics } from './metrics/http-metrics';
import { MetricsController } from './metrics/metrics.controller';

/** Options of {@link ObservabilityModule.forRoot}. */
export type ObservabilityOptions = LoggingOptions;

/**
 * Structured JSON logs (nestjs-pino) with correlation and request ids and redaction of personal
 * data, Prometheus metrics at `GET /metrics`, and the global {@link IocExceptionFilter}. Import it
 * once in the app module, create the app with `{ bufferLogs: true }` and call `useIocLogger(app)`.
 */
@Module({})
export class ObservabilityModule implements NestModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const logger = createRootLogger(options);
    return {
      module: ObservabilityModule,
      imports: [LoggerModule.forRoot({ pinoHttp: httpLoggerOptions(logger) })],
      controllers: [MetricsController],
      providers: [HttpMetrics, HttpObservation, { provide: APP_FILTER, useClass: IocExceptionFilter }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpObservationMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
