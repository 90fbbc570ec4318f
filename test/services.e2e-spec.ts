import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { type ServiceEntry, ServiceWorld } from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { gatewayService } from '../apps/gateway/src/bootstrap';
import { intakeService } from '../apps/intake/src/bootstrap';
import { kpiService } from '../apps/kpi/src/bootstrap';
import { reportsService } from '../apps/reports/src/bootstrap';
import { simulatorService } from '../apps/simulator/src/bootstrap';

// Every service boots against the real Kafka and Postgres as its main.ts starts it (its createApp), migrates
// its own schema and reports ready; the wiring of each app (config → modules → HTTP edge → health) is what this
// file covers.
const world = new ServiceWorld();

const KB = 1024;
const services: { name: string; service: ServiceEntry; env?: Record<string, string>; jsonLimit: number }[] = [
  { name: 'reports', service: reportsService, env: { REPORTS_JSON_LIMIT: '32kb' }, jsonLimit: 32 * KB },
  { name: 'intake', service: intakeService, jsonLimit: 256 * KB },
  { name: 'kpi', service: kpiService, jsonLimit: 256 * KB },
  { name: 'gateway', service: gatewayService, jsonLimit: 256 * KB },
  { name: 'simulator', service: simulatorService, jsonLimit: 256 * KB },
];

beforeAll(async () => {
  await world.setUp();
});

afterAll(async () => {
  await world.tearDown();
});

describe.each(services)('the $name service', ({ service, env, jsonLimit }) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await world.boot(service, env);
  });

  afterAll(async () => {
    if (app) await world.stop(app);
  });

  it('is live and ready once Postgres and Kafka answer', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200);
    const ready = await request(app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(200);
  });

  it('serves Prometheus metrics and its OpenAPI document', async () => {
    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
    const openApi = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(openApi.body.openapi).toMatch(/^3\./);
  });

  it('answers an unknown route with the common error body', async () => {
    const response = await request(app.getHttpServer())
      .get('/no/such/route')
      .set('x-correlation-id', 'e2e-corr-1');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({
      statusCode: 404,
      code: 'HTTP.NOT_FOUND',
      correlationId: 'e2e-corr-1',
    });
  });

  it('parses JSON bodies up to the limit its main.ts sets, and answers 413 above it', async () => {
    const body = (bytes: number) => `{"pad":"${'x'.repeat(bytes - '{"pad":""}'.length)}"}`;
    const post = (bytes: number) =>
      request(app.getHttpServer())
        .post('/no/such/route')
        .set('content-type', 'application/json')
        .send(body(bytes));
    expect((await post(jsonLimit)).status).toBe(404);
    const over = await post(jsonLimit + 1);
    expect(over.status).toBe(413);
    expect(over.body).toMatchObject({ statusCode: 413, code: 'HTTP.PAYLOAD_TOO_LARGE' });
  });
});

describe('a service started with a bad configuration', () => {
  it('stops at once with a message naming every bad variable, never its value', () => {
    const root = path.resolve(__dirname, '..');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'apps/kpi/src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS: 'not a broker list',
        PORT: '99999',
        DATABASE_URL: 'mysql://secret-password@db/x',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('KAFKA_BROKERS');
    expect(result.stderr).toContain('PORT must be an integer between 1 and 65535');
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).not.toContain('secret-password');
  });
});
