import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { HttpMetrics } from '../metrics/http-metrics';
import { RequestLog } from './request-log';
import {
  CORRELATION_ID_HEADER,
  correlationIdFrom,
  runWithRequestCorrelation,
  traceFrom,
} from './correlation';

const observed = new WeakSet<object>();

/**
 * Per-request bookkeeping shared by the middleware and the exception filter: requests rejected by
 * the body parser never reach module middleware, so the filter starts them late ("nothing is
 * dropped silently; all is counted").
 */
@Injectable()
export class HttpObservation {
  constructor(private readonly metrics: HttpMetrics) {}

  /**
   * Assigns the correlation id, echoes it in the response and starts the duration timer, once per
   * request. `firstTime` is false when the request was already observed.
   */
  begin(req: Request, res: Response): { correlationId: string; firstTime: boolean } {
    const correlationId = correlationIdFrom(req);
    if (observed.has(req)) return { correlationId, firstTime: false };
    observed.add(req);
    if (!res.headersSent) res.setHeader(CORRELATION_ID_HEADER, correlationId);
    this.metrics.track(req, res);
    return { correlationId, firstTime: true };
  }
}

/**
 * Applies {@link HttpObservation} to every route, logs the request when it completes ({@link RequestLog}),
 * and runs the rest of the request in its correlation id and trace context (a child span of the caller's
 * valid `traceparent`, or a new trace), which log lines carry and the outbox and the producer stamp on the
 * events the request causes.
 */
@Injectable()
export class HttpObservationMiddleware implements NestMiddleware {
  constructor(
    private readonly observation: HttpObservation,
    private readonly requestLog: RequestLog,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const { correlationId } = this.observation.begin(req, res);
    this.requestLog.track(req, res);
    runWithRequestCorrelation(req, correlationId, traceFrom(req), next);
  }
}
