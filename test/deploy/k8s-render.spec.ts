import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { databaseEnv } from '@ioc/database';
import { loadConfig } from '@ioc/observability';
import { cityDataEnv } from '@ioc/reference-data';
import type { z } from 'zod';
import { gatewayEnv } from '../../apps/gateway/src/config';
import { intakeEnv } from '../../apps/intake/src/config';
import { kpiEnv } from '../../apps/kpi/src/config';
import { reportsEnv } from '../../apps/reports/src/config';
import { simulatorEnv } from '../../apps/simulator/src/config';
import {
  CLIENT_LISTENER,
  CLUSTER_CA_SECRET,
  KAFKA_CLUSTER,
  KEDA_AUTHENTICATION,
  KEDA_USER,
} from '../../k8s/catalog-manifests';

const ROOT = path.resolve(__dirname, '../..');

/**
 * What each service's process reads (APP is read by the image's command, PG* by node-postgres), and the Kafka
 * user it is: its own application id of the catalog; the simulator plays the integrators.
 */
const SERVICES: Record<string, { env: z.ZodObject; database: boolean; kafkaUser: string }> = {
  reports: { env: reportsEnv, database: true, kafkaUser: 'reports' },
  intake: { env: intakeEnv, database: true, kafkaUser: 'intake' },
  kpi: { env: kpiEnv, database: true, kafkaUser: 'kpi' },
  gateway: { env: gatewayEnv, database: false, kafkaUser: 'gateway' },
  simulator: { env: simulatorEnv, database: false, kafkaUser: 'integrator' },
};
const PG = ['PGUSER', 'PGPASSWORD'];

/**
 * What the cluster's operators and platform team provide, outside the overlays (docs/deploy.md names each): the
 * values stand in for theirs when a container's settings are loaded below.
 */
const EXTERNAL: Record<string, Record<string, string>> = {
  'ConfigMap/ioc-auth': {
    AUTH_MODE: 'jwks',
    AUTH_JWKS_URL: 'https://sso.example.invalid/certs',
    AUTH_ISSUER: 'https://sso.example.invalid',
    AUTH_AUDIENCE: 'ioc-api',
  },
  'Secret/ioc-pg-reports': { username: 'reports', password: 'secret' },
  'Secret/ioc-pg-intake': { username: 'intake', password: 'secret' },
  'Secret/ioc-pg-kpi': { username: 'kpi', password: 'secret' },
  'Secret/ioc-dev-issuer': {},
  'Secret/simulator-secrets': {},
};

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are walked as plain JSON */
type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: any;
  data?: any;
};
interface Report {
  renderer: string;
  reason?: string;
  overlays: Record<string, { objects: K8sObject[]; problems: string[] }>;
}

// One render and validation of every overlay (scripts/k8s-check.mjs, a child process: the schema packages are
// ES modules), shared by the checks below.
const check = spawnSync(process.execPath, ['scripts/k8s-check.mjs'], {
  cwd: ROOT,
  encoding: 'utf8',
  timeout: 120_000,
  maxBuffer: 64 * 1024 * 1024,
});
const report: Report = JSON.parse(check.stdout || '{"overlays":{}}');
const overlays = Object.entries(report.overlays);

describe('k8s/overlays', () => {
  it('render, every object valid against its Kubernetes or CRD schema, the same with either renderer', () => {
    expect(check.stderr).not.toMatch(/Error:/);
    expect(overlays.map(([name]) => name).sort()).toEqual(['k8s/overlays/dev', 'k8s/overlays/production']);
    for (const [name, { problems }] of overlays) expect({ name, problems }).toEqual({ name, problems: [] });
    expect(check.status).toBe(0);
  });

  describe.each(overlays)('%s', (overlay, { objects }) => {
    const namespace = objects.find((o) => o.kind === 'Deployment')?.metadata.namespace;
    const all = (kind: string) => objects.filter((o) => o.kind === kind);
    const one = (kind: string, name: string) =>
      objects.find((o) => o.kind === kind && o.metadata.name === name);
    const deployments = all('Deployment');
    const production = overlay.endsWith('production');

    /**
     * The Secrets Strimzi's operators write for rendered objects: a KafkaUser's password, under the user's name, and
     * the cluster CA's certificate.
     */
    function operatorSecret(name: string): Record<string, string> | undefined {
      if (one('KafkaUser', name)) return { password: `scram-password-of-${name}`, 'sasl.jaas.config': '…' };
      if (name === CLUSTER_CA_SECRET && one('Kafka', KAFKA_CLUSTER))
        return { 'ca.crt': '-----BEGIN CERTIFICATE-----' };
      return undefined;
    }

    /** The environment a container gets: its ConfigMaps' and Secrets' keys and its own variables. */
    function environment(container: any): Map<string, string> {
      const env = new Map<string, string>();
      const source = (kind: string, name: string, optional = false): Record<string, string> => {
        const rendered = one(kind, name);
        if (rendered) return rendered.data;
        const made = kind === 'Secret' ? operatorSecret(name) : undefined;
        if (made) return made;
        const external = EXTERNAL[`${kind}/${name}`];
        if (!external && !optional)
          throw new Error(`${overlay}: ${kind} ${name} is neither rendered nor provided`);
        return external ?? {};
      };
      for (const from of container.envFrom ?? []) {
        const data = from.configMapRef
          ? source('ConfigMap', from.configMapRef.name, from.configMapRef.optional)
          : source('Secret', from.secretRef.name, from.secretRef.optional);
        for (const [key, value] of Object.entries(data)) env.set(key, value);
      }
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        env.set(variable.name, ref ? source('Secret', ref.name)[ref.key] : variable.value);
      }
      return env;
    }
    const mainContainer = (name: string) => one('Deployment', name)!.spec.template.spec.containers[0];

    it('runs each service once, as a non-root user, from the one image', () => {
      const names = deployments.map((d) => d.metadata.name).sort();
      expect(names).toEqual(
        production
          ? ['gateway', 'intake', 'kpi', 'reports']
          : ['gateway', 'intake', 'kpi', 'reports', 'simulator'],
      );
      for (const deployment of deployments) {
        const pod = deployment.spec.template.spec;
        expect(pod.securityContext.runAsNonRoot).toBe(true);
        for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
          expect(container.image).toMatch(/^ioc-backend:[\w.-]+$/);
          expect(container.securityContext).toMatchObject({
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
          });
          expect(container.resources.requests).toEqual({
            cpu: expect.any(String),
            memory: expect.any(String),
          });
          expect(container.resources.limits.memory).toEqual(expect.any(String));
        }
      }
    });

    it.each(Object.keys(SERVICES))('gives %s only settings it reads, and settings it accepts', (service) => {
      if (!one('Deployment', service)) return;
      const { env: schema, database } = SERVICES[service];
      const container = mainContainer(service);
      const env = environment(container);
      // NODE_OPTIONS is Node's own.
      const reads = new Set([...Object.keys(schema.shape), 'APP', 'NODE_OPTIONS', ...(database ? PG : [])]);
      expect([...env.keys()].filter((name) => !reads.has(name))).toEqual([]);
      expect(env.get('APP')).toBe(service);
      expect(() => loadConfig(schema, Object.fromEntries(env))).not.toThrow();

      for (const init of one('Deployment', service)!.spec.template.spec.initContainers ?? []) {
        // Migrations and reference data (cli/seed.ts).
        expect(init.command).toEqual(['node', `dist/apps/${service}/src/cli/seed.js`]);
        const initEnv = environment(init);
        const seedReads = new Set([
          ...Object.keys(databaseEnv(service).shape),
          ...Object.keys(cityDataEnv.shape),
          ...PG,
        ]);
        expect([...initEnv.keys()].filter((name) => !seedReads.has(name))).toEqual([]);
        expect(() => loadConfig(databaseEnv(service), Object.fromEntries(initEnv))).not.toThrow();
      }
    });

    it('probes /health/live and /health/ready on the port the service listens on', () => {
      for (const deployment of deployments) {
        const container = deployment.spec.template.spec.containers[0];
        const port = container.ports.find((p: any) => p.name === 'http').containerPort;
        const settings = loadConfig(
          SERVICES[deployment.metadata.name].env,
          Object.fromEntries(environment(container)),
        );
        expect(port).toBe((settings as { PORT: number }).PORT);
        expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      }
    });

    it('points every service at this namespace’s Kafka, and the database services at their own role', () => {
      const kafka = one('Kafka', 'ioc-kafka')!;
      const ports = kafka.spec.kafka.listeners.map((listener: any) => listener.port);
      const cluster = one('Cluster', 'ioc-pg')!;
      const roles = cluster.spec.managed.roles;
      for (const deployment of deployments) {
        const env = environment(mainContainer(deployment.metadata.name));
        const [host, port] = env.get('KAFKA_BROKERS')!.split(':');
        expect(host).toBe(`ioc-kafka-kafka-bootstrap.${namespace}.svc`);
        expect(ports).toContain(Number(port));
      }
      const databaseServices = Object.keys(SERVICES).filter((s) => SERVICES[s].database);
      expect(roles.map((role: any) => role.name).sort()).toEqual([...databaseServices].sort());
      for (const service of databaseServices) {
        const env = environment(mainContainer(service));
        expect(new URL(env.get('DATABASE_URL')!).hostname).toBe(`${cluster.metadata.name}-rw`);
        const role = roles.find((r: any) => r.name === service);
        expect(role).toMatchObject({ login: true, passwordSecret: { name: `ioc-pg-${service}` } });
        const pgUser = mainContainer(service).env.find((v: any) => v.name === 'PGUSER');
        expect(pgUser.valueFrom.secretKeyRef.name).toBe(`ioc-pg-${service}`);
        expect(cluster.spec.bootstrap.initdb.postInitApplicationSQL).toContain(
          `CREATE SCHEMA ${service} AUTHORIZATION ${service}`,
        );
      }
    });

    it('runs Kafka with one client listener, authenticated, TLS, and no super user', () => {
      const kafka = one('Kafka', KAFKA_CLUSTER)!.spec.kafka;
      expect(kafka.listeners).toEqual([
        {
          name: expect.any(String),
          port: CLIENT_LISTENER.port,
          type: 'internal',
          tls: CLIENT_LISTENER.tls,
          authentication: { type: CLIENT_LISTENER.mechanism },
        },
      ]);
      // ACLs apply to every client, and no rule lets anyone past them or in without a password.
      expect(kafka.authorization).toEqual({ type: 'simple' });
      for (const user of all('KafkaUser')) {
        expect(user.spec.authentication).toEqual({ type: CLIENT_LISTENER.mechanism });
      }
    });

    it.each(Object.keys(SERVICES))(
      'connects %s to that listener as its own KafkaUser, over TLS trusting the cluster CA',
      (service) => {
        const deployment = one('Deployment', service);
        if (!deployment) return;
        const container = mainContainer(service);
        const env = environment(container);
        const { kafkaUser } = SERVICES[service];
        expect(env.get('KAFKA_BROKERS')).toBe(
          `ioc-kafka-kafka-bootstrap.${namespace}.svc:${CLIENT_LISTENER.port}`,
        );
        expect(env.get('KAFKA_SASL_MECHANISM')).toBe(CLIENT_LISTENER.mechanism);
        expect(env.get('KAFKA_SASL_USERNAME')).toBe(kafkaUser);
        expect(one('KafkaUser', kafkaUser)).toBeDefined();
        // The password Strimzi generated for that user, from its Secret, never written in a manifest.
        const password = container.env.find((v: any) => v.name === 'KAFKA_SASL_PASSWORD');
        expect(password.valueFrom.secretKeyRef).toEqual({ name: kafkaUser, key: 'password' });
        expect(env.get('KAFKA_TLS')).toBe(String(CLIENT_LISTENER.tls));

        // The CA file is the cluster CA's certificate, mounted from Strimzi's Secret.
        const caFile = env.get('KAFKA_TLS_CA_FILE')!;
        const mount = container.volumeMounts.find((m: any) => caFile.startsWith(`${m.mountPath}/`));
        const volume = deployment.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
        expect(volume.secret.secretName).toBe(CLUSTER_CA_SECRET);
        expect(volume.secret.items).toEqual([
          { key: 'ca.crt', path: caFile.slice(mount.mountPath.length + 1) },
        ]);
        expect(mount.readOnly).toBe(true);

        const settings = loadConfig(SERVICES[service].env, Object.fromEntries(env));
        expect(settings).toMatchObject({
          KAFKA_SASL_PASSWORD: `scram-password-of-${kafkaUser}`,
          KAFKA_TLS: true,
        });
      },
    );

    it('has KEDA read the lag as its own user, the way the services connect', () => {
      const triggers = all('ScaledObject').flatMap((scaler) =>
        scaler.spec.triggers.filter((trigger: any) => trigger.type === 'kafka'),
      );
      expect(triggers.length).toBeGreaterThan(0);
      for (const trigger of triggers) {
        expect(trigger.metadata).toMatchObject({
          // KEDA's name of the listener's mechanism.
          sasl: { 'scram-sha-512': 'scram_sha512' }[CLIENT_LISTENER.mechanism],
          tls: CLIENT_LISTENER.tls ? 'enable' : 'disable',
        });
        expect(trigger.authenticationRef).toEqual({ name: KEDA_AUTHENTICATION });
      }
      const authentication = one('TriggerAuthentication', KEDA_AUTHENTICATION)!.spec;
      const parameters = Object.fromEntries(
        [...authentication.secretTargetRef, ...authentication.configMapTargetRef].map((ref: any) => [
          ref.parameter,
          ref,
        ]),
      );
      expect(Object.keys(parameters).sort()).toEqual(['ca', 'password', 'username']);
      const username = parameters.username;
      expect(one('ConfigMap', username.name)!.data[username.key]).toBe(KEDA_USER);
      expect(one('KafkaUser', KEDA_USER)).toBeDefined();
      expect(parameters.password).toMatchObject({ name: KEDA_USER, key: 'password' });
      expect(parameters.ca).toMatchObject({ name: CLUSTER_CA_SECRET, key: 'ca.crt' });
      for (const { name, key } of [parameters.password, parameters.ca]) {
        expect(operatorSecret(name)?.[key]).toEqual(expect.any(String));
      }
    });

    it('lets each service reach only DNS, Kafka, its database and the services it calls', () => {
      const services = all('Service');
      for (const deployment of deployments) {
        const name = deployment.metadata.name;
        const labels = deployment.spec.template.metadata.labels;
        const policies = all('NetworkPolicy').filter((p) =>
          Object.entries(p.spec.podSelector.matchLabels).every(([k, v]) => labels[k] === v),
        );
        expect(policies.map((p) => p.metadata.name)).toEqual([name]);
        const policy = policies[0].spec;
        expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
        const env = environment(deployment.spec.template.spec.containers[0]);
        // The services it calls: its URL settings whose host is a name in the namespace, as the pods behind them.
        const callees = [...env.values()]
          .filter((value) => /^https?:\/\/[^./:]+(:\d+)?(\/|$)/.test(value))
          .map((value) => services.find((s) => s.metadata.name === new URL(value).hostname)!.spec.selector);
        const expected = [
          'dns',
          'kafka',
          ...(SERVICES[name].database ? ['postgres'] : []),
          ...callees.map((selector) => `app:${selector['app.kubernetes.io/name']}`),
          // Production verifies tokens against the identity provider's keys, over HTTPS.
          ...(production && 'AUTH_MODE' in SERVICES[name].env.shape ? ['https'] : []),
        ];
        const peers = policy.egress.map((rule: any) => {
          const to = rule.to?.[0];
          if (!to) return rule.ports.map((p: any) => p.port).join() === '443' ? 'https' : 'anywhere';
          if (to.namespaceSelector)
            return to.podSelector?.matchLabels['k8s-app'] === 'kube-dns' ? 'dns' : 'namespace';
          const match = to.podSelector.matchLabels;
          if (match['strimzi.io/cluster'] === 'ioc-kafka') {
            // The client listener only.
            expect(rule.ports).toEqual([{ port: CLIENT_LISTENER.port, protocol: 'TCP' }]);
            return 'kafka';
          }
          if (match['cnpg.io/cluster'] === 'ioc-pg') return 'postgres';
          const callee = one('Deployment', match['app.kubernetes.io/name'])!.spec.template.spec.containers[0];
          expect(rule.ports.map((p: any) => p.port)).toEqual([callee.ports[0].containerPort]);
          return `app:${match['app.kubernetes.io/name']}`;
        });
        expect({ name, peers: peers.sort() }).toEqual({ name, peers: expected.sort() });
        const port = deployment.spec.template.spec.containers[0].ports[0].containerPort;
        for (const rule of policy.ingress ?? []) expect(rule.ports).toEqual([{ port, protocol: 'TCP' }]);
      }
    });

    it('gives every service a disruption budget and one autoscaler, which owns its replica count', () => {
      for (const deployment of deployments) {
        const name = deployment.metadata.name;
        const budgets = all('PodDisruptionBudget').filter(
          (b) => b.spec.selector.matchLabels['app.kubernetes.io/name'] === name,
        );
        expect(budgets).toHaveLength(1);
        const scalers = [
          ...all('ScaledObject').filter((s) => s.spec.scaleTargetRef.name === name),
          ...all('HorizontalPodAutoscaler').filter((h) => h.spec.scaleTargetRef.name === name),
        ];
        if (name === 'simulator') {
          expect(scalers).toEqual([]);
          continue;
        }
        expect({ name, scalers: scalers.length }).toEqual({ name, scalers: 1 });
        expect(deployment.spec.replicas).toBeUndefined();
        const [scaler] = scalers;
        const min = scaler.spec.minReplicaCount ?? scaler.spec.minReplicas;
        const max = scaler.spec.maxReplicaCount ?? scaler.spec.maxReplicas;
        expect(min).toBe(production ? 2 : 1);
        expect(max).toBeGreaterThanOrEqual(min);
        const env = environment(deployment.spec.template.spec.containers[0]);
        for (const trigger of scaler.spec.triggers ?? []) {
          if (trigger.type === 'kafka') expect(env.has(trigger.metadata.bootstrapServersFromEnv)).toBe(true);
        }
      }
      expect(one('HorizontalPodAutoscaler', 'gateway')!.spec.metrics[0].resource.name).toBe('cpu');
    });

    it('replicates every topic as far as the brokers allow', () => {
      const brokers = one('KafkaNodePool', 'combined')!.spec.replicas;
      for (const topic of all('KafkaTopic')) {
        expect(topic.spec.replicas).toBe(production ? 3 : 1);
        expect(topic.spec.replicas).toBeLessThanOrEqual(brokers);
        if (production) expect(topic.spec.config['min.insync.replicas']).toBe(2);
      }
    });
  });

  it('has docs/deploy.md name everything the overlays expect the cluster to provide', () => {
    const docs = readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8');
    for (const name of Object.keys(EXTERNAL)) expect(docs).toContain(name.split('/')[1]);
  });
});
