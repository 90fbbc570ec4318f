import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { register } from 'prom-client';
import { ensureDefaultMetrics, HttpMetrics, UNMATCHED_ROUTE } from './http-metrics';

function exchange(method: string, route?: string, baseUrl = '') {
  const req = {
    method,
    baseUrl,
    route: route === undefined ? undefined : { path: route },
  } as unknown as Request;
  const res = Object.assign(new EventEmitter(), { statusCode: 200 }) as unknown as Response & EventEmitter;
  return { req, res };
}

async function countFor(labels: Record<string, string>): Promise<number | undefined> {
  const metric = await register.getSingleMetric('http_request_duration_seconds')?.get();
  const values = (metric?.values ?? []) as {
    metricName?: string;
    labels: Record<string, unknown>;
    value: number;
  }[];
  return values.find(
    (value) =>
      value.metricName === 'http_request_duration_seconds_count' &&
      Object.entries(labels).every(([key, expected]) => value.labels[key] === expected),
  )?.value;
}

describe(HttpMetrics.name, () => {
  beforeEach(() => register.resetMetrics());

  it('labels by method, route pattern and status, not the raw URL', async () => {
    const sut = new HttpMetrics();
    const { req, res } = exchange('GET', '/reports/:id', '/api');

    sut.track(req, res);
    res.statusCode = 404;
    res.emit('finish');
    res.emit('close');

    expect(await countFor({ method: 'GET', route: '/api/reports/:id', status_code: '404' })).toBe(1);
  });

  it('files unmatched routes and unknown methods under bounded labels', async () => {
    const sut = new HttpMetrics();
    const { req, res } = exchange('PROPFIND');

    sut.track(req, res);
    res.emit('close');

    expect(await countFor({ method: 'OTHER', route: UNMATCHED_ROUTE, status_code: '200' })).toBe(1);
  });

  it('shares one histogram and one set of process metrics however often it is built', () => {
    new HttpMetrics();
    ensureDefaultMetrics();

    expect(() => new HttpMetrics()).not.toThrow();
    expect(register.getSingleMetric('process_cpu_user_seconds_total')).toBeDefined();
  });
});
