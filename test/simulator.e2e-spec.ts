import path from 'node:path';
import { UnitOfWork } from '@ioc/database';
import { seedCityData } from '@ioc/platform';
import { ServiceWorld, waitFor } from '@ioc/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { intakeService } from '../apps/intake/src/bootstrap';
import { ReferenceDataRepository as IntakeReference } from '../apps/intake/src/reference/reference-data.repository';
import { reportsService } from '../apps/reports/src/bootstrap';
import { ReferenceDataRepository as ReportsReference } from '../apps/reports/src/reference/reference-data.repository';
import { simulatorService } from '../apps/simulator/src/bootstrap';

// The simulator against the real reports and intake services (real Kafka and Postgres), as `npm start -- --demo`
// runs it: half an hour of a city's morning at 600× speed, through REST, Open311, HTTP ingest and Kafka. What it
// sent must have been accepted, and be there: the reports registered, the detections counted.
const CITY_DIR = path.resolve(__dirname, '../data/cities/hai-phong');
const world = new ServiceWorld();
let reports: INestApplication;
let intake: INestApplication;
let simulator: INestApplication;

interface Counts {
  accepted: number;
  refused: number;
  failed: number;
  skipped: number;
}
interface Status {
  running: boolean;
  performed: number;
  reportsRegistered: number;
  interfaces: Record<string, Counts>;
}

const urlOf = async (app: INestApplication) => (await app.getUrl()).replace('[::1]', '127.0.0.1');

beforeAll(async () => {
  await world.setUp();
  reports = await world.boot(reportsService, { REPORTS_SWEEP_ENABLED: 'false' });
  intake = await world.boot(intakeService);
  await seedCityData(reports.get(UnitOfWork), CITY_DIR, new ReportsReference());
  await seedCityData(intake.get(UnitOfWork), CITY_DIR, new IntakeReference());
  simulator = await world.boot(simulatorService, {
    CITY_DATA_DIR: CITY_DIR,
    SIMULATOR_REPORTS_URL: await urlOf(reports),
    SIMULATOR_INTAKE_URL: await urlOf(intake),
    SIMULATOR_OPEN311_API_KEY: await world.apiKey(reports, 'simulator', []),
    SIMULATOR_INTAKE_API_KEY: await world.apiKey(intake, 'simulator', ['ioc.*']),
    SIMULATOR_SEED: '7',
    SIMULATOR_SPEED: '600',
    SIMULATOR_RATE: '6',
    SIMULATOR_START_TIME: '08:00',
    SIMULATOR_DURATION: '30m',
    SIMULATOR_HEARTBEAT_INTERVAL: '2m',
  });
});

afterAll(() => world.tearDown());

describe('the simulator against the reports and intake services', () => {
  let status: Status;

  beforeAll(async () => {
    status = await waitFor(
      async () => {
        const answer = (await request(simulator.getHttpServer()).get('/simulation').expect(200))
          .body as Status;
        return !answer.running && answer.performed > 0 ? answer : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the simulated half hour to end' },
    );
  });

  it('used every interface, and nothing it sent was refused or failed', () => {
    const { interfaces } = status;
    for (const name of ['reports.rest', 'reports.open311', 'intake.http', 'kafka'])
      expect(interfaces[name].accepted).toBeGreaterThan(0);
    for (const [name, counts] of Object.entries(interfaces)) {
      expect({ name, refused: counts.refused, failed: counts.failed }).toEqual({
        name,
        refused: 0,
        failed: 0,
      });
    }
    expect(interfaces['reports.agency'].accepted).toBeGreaterThan(0);
  });

  it('registered its reports: those sent over REST and Open311, and those of other channels over Kafka', async () => {
    const token = await world.token({ subject: 'operator-1', roles: ['operator'] });
    const direct = status.interfaces['reports.rest'].accepted + status.interfaces['reports.open311'].accepted;
    expect(status.reportsRegistered).toBe(direct);
    const listed = await waitFor(
      async () => {
        const items: { channel: string; description: string; agencyId: string | null }[] = [];
        let cursor: string | undefined;
        do {
          const page = await request(reports.getHttpServer())
            .get('/operator/reports')
            .query({ limit: 100, ...(cursor === undefined ? {} : { cursor }) })
            .set('authorization', `Bearer ${token}`)
            .expect(200);
          items.push(...page.body.items);
          cursor = page.body.nextCursor;
        } while (cursor !== undefined);
        const channels = items.filter((r) => !['app', 'web', 'open311'].includes(r.channel));
        return items.length - channels.length >= direct && channels.length > 0 ? items : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the simulated reports to be listed' },
    );
    expect(listed.every((report) => report.description.startsWith('[mô phỏng]'))).toBe(true);
    expect(listed.some((report) => report.agencyId !== null)).toBe(true);
  });

  it('had its detections counted by intake, above and below the confidence floor', async () => {
    const dataSource = intake.get(DataSource);
    const schema = world.schemaOf(intakeService.name);
    const tallies = await waitFor(
      async () => {
        const [row] = await dataSource.query(
          `SELECT coalesce(sum(total), 0)::int AS total, coalesce(sum(below_floor), 0)::int AS below FROM "${schema}".detection_tallies`,
        );
        return row.total > 0 && row.below > 0 && row.total > row.below ? row : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'detections to be counted' },
    );
    expect(tallies.total).toBeGreaterThan(tallies.below);
    const [cameras] = await dataSource.query(
      `SELECT count(*)::int AS online FROM "${schema}".cameras WHERE status = 'online'`,
    );
    expect(cameras.online).toBeGreaterThan(0);
  });
});
