import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DevTokenIssuer, type Role } from '@ioc/auth';
import {
  decodeKafkaMessage,
  type IocEvent,
  TOPIC_CATALOG,
  type TopicName,
  Topics,
  topicName,
} from '@ioc/contracts';
import { createKafka, provisionTopics } from '@ioc/messaging';
import { createHttpService, loadConfig } from '@ioc/observability';
import {
  captureLogs,
  databaseUrl,
  kafkaBrokers,
  type ServiceLogCapture,
  type ReportsTopicRecord,
  readTopicUntil,
  uniqueSchema,
  uniqueSuffix,
} from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { escapeIdentifier } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule, httpServiceOptions } from '../src/app.module';
import { reportsEnv } from '../src/config';
import { ReferenceDataRepository } from '../src/reference/reference-data.repository';
import { TypeOrmUnitOfWork } from '@ioc/database';
import { seedCityData } from '@ioc/platform';

const REPORT_TOPICS: readonly TopicName[] = [Topics.reportsEvents, Topics.reportsSubmissions, Topics.dlq];

export const CITY_DIR = path.resolve(__dirname, '../../../data/cities/hai-phong');

/** A reports service booted like main.ts against the real Postgres and Kafka, in its own schema and topics. */
export interface ReportsApp {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  dataSource: DataSource;
  kafka: Kafka;
  logs: ServiceLogCapture;
  suffix: string;
  schema: string;
  topic(base: (typeof Topics)[keyof typeof Topics]): string;
  token(role: Role, agencyId?: string): Promise<string>;
  /** Report events on the service's topic, decoded, until `enough`. */
  events(
    enough: (events: readonly IocEvent[]) => boolean,
  ): Promise<{ events: IocEvent[]; raw: ReportsTopicRecord[] }>;
  close(): Promise<void>;
}

export async function startReportsApp(env: Record<string, string> = {}): Promise<ReportsApp> {
  const schema = uniqueSchema('reports');
  const suffix = uniqueSuffix();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'reports-keys-'));
  const kafka = createKafka({ clientId: 'reports-spec', brokers: kafkaBrokers(), logLevel: 'nothing' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Only the topics the service touches: provisioning the whole catalog per spec file costs seconds.
    await provisionTopics(admin, {
      suffix,
      catalog: TOPIC_CATALOG.filter((spec) => REPORT_TOPICS.includes(spec.name)),
    });
  } finally {
    await admin.disconnect();
  }
  const config = loadConfig(reportsEnv, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    DATABASE_URL: databaseUrl(),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    IOC_TOPIC_SUFFIX: suffix,
    DB_SCHEMA: schema,
    AUTH_DEV_KEYS_DIR: keysDir,
    REPORTS_SWEEP_ENABLED: 'false',
    ...env,
  });
  const logs = captureLogs();
  const app = await createHttpService(
    AppModule.forRoot(config, { logDestination: logs.stream }),
    httpServiceOptions(config),
  );
  await app.init();
  const dataSource = app.get(DataSource);
  await seedCityData(new TypeOrmUnitOfWork(dataSource), CITY_DIR, new ReferenceDataRepository());
  const issuer = await DevTokenIssuer.open({ keysDir, nodeEnv: 'test' });
  const topic = (base: (typeof Topics)[keyof typeof Topics]) => topicName(base, suffix);

  return {
    app,
    http: app.getHttpServer(),
    dataSource,
    kafka,
    logs,
    suffix,
    schema,
    topic,
    token: (role, agencyId) =>
      issuer.mint({
        subject: `${role}-user`,
        roles: [role],
        ...(agencyId === undefined ? {} : { agencyId }),
      }),
    async events(enough) {
      let events: IocEvent[] = [];
      const raw = await readTopicUntil(kafka, topic(Topics.reportsEvents), (records) => {
        events = records.map(decode);
        return enough(events);
      });
      return { events, raw };
    },
    async close() {
      await app.close();
      const cleanup = new DataSource({ type: 'postgres', url: databaseUrl() });
      await cleanup.initialize();
      await cleanup.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`);
      await cleanup.destroy();
      const topicAdmin = kafka.admin();
      await topicAdmin.connect();
      try {
        const ours = (await topicAdmin.listTopics()).filter((name) => name.endsWith(`.${suffix}`));
        await topicAdmin.deleteTopics({ topics: ours });
      } finally {
        await topicAdmin.disconnect();
      }
      rmSync(keysDir, { recursive: true, force: true });
    },
  };
}

function decode(record: ReportsTopicRecord): IocEvent {
  const result = decodeKafkaMessage({
    key: record.key === null ? null : Buffer.from(record.key),
    value: Buffer.from(record.value),
    headers: Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)])),
  });
  if (!result.ok) throw new Error(`undecodable record at offset ${record.offset}: ${result.reason}`);
  return result.event;
}
