import { readFileSync } from 'node:fs';
import path from 'node:path';
import { databaseEnv } from '@ioc/database';
import { provisionTopicsEnv } from '@ioc/messaging';
import { cityDataEnv } from '@ioc/reference-data';
import { parse } from 'yaml';
import type { z } from 'zod';
import { gatewayEnv } from '../../apps/gateway/src/config';
import { intakeEnv } from '../../apps/intake/src/config';
import { kpiEnv } from '../../apps/kpi/src/config';
import { reportsEnv } from '../../apps/reports/src/config';
import { simulatorEnv } from '../../apps/simulator/src/config';

const ROOT = path.resolve(__dirname, '../..');
const APPS: Record<string, z.ZodObject> = {
  reports: reportsEnv,
  intake: intakeEnv,
  kpi: kpiEnv,
  gateway: gatewayEnv,
  simulator: simulatorEnv,
};
const DATABASE_APPS = ['reports', 'intake', 'kpi'];

interface ComposeService {
  image?: string;
  profiles?: string[];
  environment?: Record<string, string | null>;
  command?: string[];
  healthcheck?: { disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}
const compose = parse(readFileSync(path.join(ROOT, 'docker/compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const { services } = compose;

/** The variables provision-topics.cli.ts reads. */
const provisionTopicsSettings = Object.keys(provisionTopicsEnv.shape);

describe('docker/compose.yaml', () => {
  it('runs Apache Kafka in KRaft mode, PostgreSQL, every service, and the simulator only with --profile demo', () => {
    expect(services.kafka.image).toMatch(/^apache\/kafka:3\.9\.\d+$/);
    expect(services.kafka.environment).toMatchObject({
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    });
    expect(services.postgres.image).toMatch(/^postgres:\d+/);
    const ours = Object.entries(services).filter(([, service]) => service.image === 'ioc-backend:local');
    expect(ours.map(([name]) => name).sort()).toEqual([...Object.keys(APPS), 'setup'].sort());
    for (const [name, service] of ours) {
      expect({ name, profiles: service.profiles }).toEqual({
        name,
        profiles: name === 'simulator' ? ['demo'] : undefined,
      });
    }
  });

  it.each(Object.keys(APPS))('gives %s only settings it reads', (app) => {
    const environment = services[app].environment ?? {};
    // NODE_OPTIONS is Node's own.
    const reads = new Set([...Object.keys(APPS[app].shape), 'APP', 'NODE_OPTIONS']);
    expect(Object.keys(environment).filter((name) => !reads.has(name))).toEqual([]);
    expect(environment.APP).toBe(app);
    expect('DATABASE_URL' in environment).toBe(DATABASE_APPS.includes(app));
    // The image's health check and its own port agree with the one it listens on.
    expect(APPS[app].shape.PORT.parse(environment.PORT)).toBe(Number(environment.PORT));
  });

  it('sets topics and schemas up first, as npm start does, with only the settings those commands read', () => {
    const setup = services.setup;
    const script = setup.command?.at(-1) ?? '';
    expect(script.split('\n').filter(Boolean)).toEqual([
      'node dist/libs/messaging/src/cli/provision-topics.cli.js',
      ...DATABASE_APPS.map((app) => `node dist/apps/${app}/src/cli/seed.js`),
    ]);
    const reads = new Set([
      ...provisionTopicsSettings,
      ...Object.keys(databaseEnv('reports').shape),
      ...Object.keys(cityDataEnv.shape),
    ]);
    expect(provisionTopicsSettings).toContain('KAFKA_REPLICATION_FACTOR');
    expect(Object.keys(setup.environment ?? {}).filter((name) => !reads.has(name))).toEqual([]);
    for (const app of Object.keys(APPS)) {
      expect(services[app].depends_on?.setup ?? services[app].depends_on?.gateway).toBeDefined();
    }
  });

  it('points every service at the compose network’s Kafka and Postgres and the gateway at the services it calls', () => {
    for (const app of Object.keys(APPS)) {
      const environment = services[app].environment ?? {};
      expect(environment.KAFKA_BROKERS).toBe('kafka:9092');
      if (environment.DATABASE_URL) expect(new URL(environment.DATABASE_URL).host).toBe('postgres:5432');
      for (const [name, value] of Object.entries(environment)) {
        if (!name.endsWith('_URL') || name === 'DATABASE_URL' || !value) continue;
        const { hostname, port } = new URL(value);
        expect({ name, port: Number(port) }).toEqual({
          name,
          port: Number(services[hostname].environment?.PORT),
        });
      }
      // One development signing key for all (the image's AUTH_DEV_KEYS_DIR).
      expect(services[app].volumes).toEqual(['dev-keys:/var/lib/ioc/dev-keys']);
    }
  });
});
