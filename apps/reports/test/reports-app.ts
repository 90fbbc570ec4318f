import path from 'node:path';
import type { Role } from '@ioc/auth';
import { type IocEvent, type TopicName, Topics } from '@ioc/contracts';
import { UnitOfWork } from '@ioc/database';
import { seedCityData } from '@ioc/platform';
import { captureLogs, type ServiceLogCapture, ServiceWorld, type TopicRecord } from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { reportsService } from '../src/bootstrap';
import { ReferenceDataRepository } from '../src/reference/reference-data.repository';

/** Only the topics the service touches: provisioning the whole catalog per spec file costs seconds. */
const REPORT_TOPICS: readonly TopicName[] = [Topics.reportsEvents, Topics.reportsSubmissions, Topics.dlq];

export const CITY_DIR = path.resolve(__dirname, '../../../data/cities/hai-phong');

/**
 * A reports service booted as main.ts boots it (see {@link ServiceWorld}) against the real Postgres and Kafka,
 * in its own schema and topics, on the reference city's data, with its log lines captured and a reader of
 * what it writes to Kafka.
 */
export interface ReportsApp {
  /** The spec file's world: publish to the service's topics through it. */
  world: ServiceWorld;
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  dataSource: DataSource;
  logs: ServiceLogCapture;
  suffix: string;
  schema: string;
  topic(base: TopicName): string;
  token(role: Role, agencyId?: string): Promise<string>;
  /** The records read from the beginning of `base` (the report events or the DLQ), once `enough`. */
  read(base: TopicName, enough: (records: readonly TopicRecord[]) => boolean): Promise<TopicRecord[]>;
  /** Report events on the service's topic, decoded, until `enough`. */
  events(
    enough: (events: readonly IocEvent[]) => boolean,
  ): Promise<{ events: IocEvent[]; raw: TopicRecord[] }>;
  close(): Promise<void>;
}

export async function startReportsApp(env: Record<string, string> = {}): Promise<ReportsApp> {
  const world = new ServiceWorld({ topics: REPORT_TOPICS, env: { REPORTS_SWEEP_ENABLED: 'false' } });
  try {
    await world.setUp();
    const reader = await world.read([Topics.reportsEvents, Topics.dlq]);
    const logs = captureLogs();
    const app = await world.boot(
      reportsService,
      { LOG_LEVEL: 'debug', ...env },
      { logDestination: logs.stream },
    );
    await seedCityData(app.get(UnitOfWork), CITY_DIR, new ReferenceDataRepository());
    const read = (base: TopicName, enough: (records: readonly TopicRecord[]) => boolean) =>
      reader.until(world.topic(base), enough);
    return {
      world,
      app,
      http: app.getHttpServer(),
      dataSource: app.get(DataSource),
      logs,
      suffix: world.suffix,
      schema: world.schemaOf(reportsService.name),
      topic: (base) => world.topic(base),
      token: (role, agencyId) =>
        world.token({
          subject: `${role}-user`,
          roles: [role],
          ...(agencyId === undefined ? {} : { agencyId }),
        }),
      read,
      async events(enough) {
        const raw = await read(Topics.reportsEvents, (records) => enough(records.map(decoded)));
        return { events: raw.map(decoded), raw };
      },
      close: () => world.tearDown(),
    };
  } catch (error) {
    await world.tearDown();
    throw error;
  }
}

function decoded(record: TopicRecord): IocEvent {
  if (!record.decoded.ok)
    throw new Error(`undecodable record at offset ${record.offset}: ${record.decoded.reason}`);
  return record.decoded.event;
}
