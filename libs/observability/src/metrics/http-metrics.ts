import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, register } from 'prom-client';

const DURATION_METRIC = 'http_request_duration_seconds';
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Route label of requests no route matched (404s, body-parser rejections); keeps the label set bounded. */
export const UNMATCHED_ROUTE = '<unmatched>';

/**
 * Registers prom-client's default process metrics in the default registry once per process:
 * registering them twice throws, and several modules or test apps may boot in one process.
 */
export function ensureDefaultMetrics(): void {
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
}

/** HTTP request durations labelled by method, route pattern and status: never the raw URL. */
@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor() {
    ensureDefaultMetrics();
    // The histogram is shared by every app instance in the process, like the registry.
    this.duration =
      (register.getSingleMetric(DURATION_METRIC) as
        Histogram<'method' | 'route' | 'status_code'> | undefined) ??
      new Histogram({
        name: DURATION_METRIC,
        help: 'Duration of HTTP requests in seconds, by method, route pattern and status code',
        labelNames: ['method', 'route', 'status_code'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      });
  }

  /** Starts timing `req`; the observation is recorded when the response finishes or is cut off. */
  track(req: Request, res: Response): void {
    const stop = this.duration.startTimer();
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      stop({ method: methodLabel(req.method), route: routeLabel(req), status_code: String(res.statusCode) });
    };
    res.once('finish', record);
    res.once('close', record);
  }
}

function methodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'OTHER';
}

/** The pattern the router matched (`/reports/:id`), read after routing, when the response ends. */
function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : UNMATCHED_ROUTE;
}
