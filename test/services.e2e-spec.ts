import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createHttpService, loadConfig } from '@ioc/observability';
import {
  databaseUrl,
  dropTestData,
  kafkaBrokers,
  provisionSuffixedTopics,
  uniqueSchema,
  uniqueSuffix,
} from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AppModule as GatewayModule } from '../apps/gateway/src/app.module';
import { gatewayEnv } from '../apps/gateway/src/config';
import { AppModule as IntakeModule } from '../apps/intake/src/app.module';
import { intakeEnv } from '../apps/intake/src/config';
import { AppModule as KpiModule } from '../apps/kpi/src/app.module';
import { kpiEnv } from '../apps/kpi/src/config';
import { AppModule as ReportsModule } from '../apps/reports/src/app.module';
import { reportsEnv } from '../apps/reports/src/config';
import { AppModule as SimulatorModule } from '../apps/simulator/src/app.module';
import { simulatorEnv } from '../apps/simulator/src/config';

// Every service boots against the real Kafka and Postgres, migrates its own schema and reports ready;
// the wiring of each app (config → modules → health) is what this file covers.
const suffix = uniqueSuffix();
const schemas: string[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl(),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    IOC_TOPIC_SUFFIX: suffix,
    ...extra,
  };
}

const services = [
  { name: 'reports', boot: () => ReportsModule.forRoot(loadConfig(reportsEnv, env(schemaEnv('reports')))) },
  { name: 'intake', boot: () => IntakeModule.forRoot(loadConfig(intakeEnv, env(schemaEnv('intake')))) },
  { name: 'kpi', boot: () => KpiModule.forRoot(loadConfig(kpiEnv, env(schemaEnv('kpi')))) },
  { name: 'gateway', boot: () => GatewayModule.forRoot(loadConfig(gatewayEnv, env(schemaEnv('gateway')))) },
  { name: 'simulator', boot: () => SimulatorModule.forRoot(loadConfig(simulatorEnv, env())) },
];

function schemaEnv(service: string): Record<string, string> {
  const schema = uniqueSchema(service);
  schemas.push(schema);
  return { DB_SCHEMA: schema };
}

beforeAll(async () => {
  await provisionSuffixedTopics(suffix);
});

afterAll(async () => {
  await dropTestData({ suffix, schemas });
});

describe.each(services)('the $name service', ({ name, boot }) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createHttpService(boot(), { title: name, description: name });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
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
