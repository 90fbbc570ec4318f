import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiKeyService, type DevTokenClaims, DevTokenIssuer } from '@ioc/auth';
import { encodeKafkaMessage, type IocEvent, type TopicName, topicName } from '@ioc/contracts';
import { createKafka } from '@ioc/messaging';
import { loadConfig } from '@ioc/observability';
import type { INestApplication } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import type { DestinationStream } from 'pino';
import type { z } from 'zod';
import { databaseUrl, kafkaBrokers, uniqueSchema, uniqueSuffix } from './env';
import { dropTestData, provisionSuffixedTopics, type SuffixedTopicsOptions } from './isolation';
import { TopicReader } from './topic-reader';

/**
 * What a service's `src/bootstrap.ts` exports and its main.ts starts: the environment it reads and the app
 * factory main.ts calls. The world boots a service through the same two, so a spec cannot drift from main.ts.
 */
export interface ServiceEntry<S extends z.ZodType = z.ZodType> {
  name: string;
  env: S;
  createApp(config: z.infer<S>, options: { logDestination?: DestinationStream }): Promise<INestApplication>;
}

/** How {@link ServiceWorld.boot} starts an instance beyond its environment. */
export interface BootOptions {
  /** Where the instance's JSON log lines go (see `captureLogs`); stdout otherwise, at the level of LOG_LEVEL. */
  logDestination?: DestinationStream;
}

/**
 * One spec file's isolated world against the real Postgres and Kafka: a topic suffix (IOC_TOPIC_SUFFIX, which
 * also suffixes the services' consumer groups) with the spec's topics provisioned from the catalog, a Postgres
 * schema per service, a development token issuer and its keys, a producer, topic readers, and the services it
 * boots exactly as their main.ts does. `tearDown` removes all of it.
 *
 * ```ts
 * const world = new ServiceWorld({ topics: [Topics.cameraDetections, Topics.dlq] });
 * beforeAll(async () => { await world.setUp(); app = await world.boot(intakeService, { INTAKE_INGEST_MAX_BATCH_EVENTS: '5' }); });
 * afterAll(() => world.tearDown());
 * ```
 */
export class ServiceWorld {
  readonly suffix = uniqueSuffix();
  private readonly schemas = new Map<string, string>();
  private readonly apps: INestApplication[] = [];
  private readonly readers: TopicReader[] = [];
  private readonly kafka = createKafka({
    clientId: 'test-world',
    brokers: kafkaBrokers(),
    logLevel: 'nothing',
  });
  private producer?: Producer;
  private keysDir?: string;
  private issuer?: DevTokenIssuer;

  /** `topics`: what to provision (default the whole catalog); `env`: set for every service booted. */
  constructor(private readonly options: SuffixedTopicsOptions & { env?: Record<string, string> } = {}) {}

  /** A catalog topic's name in this world. */
  topic(base: TopicName): string {
    return topicName(base, this.suffix);
  }

  /** The schema of `service` in this world: every instance of it shares it (a restart finds its data). */
  schemaOf(service: string): string {
    let schema = this.schemas.get(service);
    if (schema === undefined) {
      schema = uniqueSchema(service);
      this.schemas.set(service, schema);
    }
    return schema;
  }

  async setUp(): Promise<void> {
    await provisionSuffixedTopics(this.suffix, this.options);
    this.keysDir = await mkdtemp(path.join(tmpdir(), 'ioc-test-keys-'));
    this.issuer = await DevTokenIssuer.open({ keysDir: this.keysDir, nodeEnv: 'test' });
  }

  /**
   * Starts an instance of `service` as its main.ts does (its env parsed by `loadConfig`, its app from its
   * `createApp`), on this world's schema, topics and token keys, listening on a free local port.
   */
  async boot<S extends z.ZodType>(
    service: ServiceEntry<S>,
    env: Record<string, string> = {},
    options: BootOptions = {},
  ): Promise<INestApplication> {
    if (this.keysDir === undefined) throw new Error('ServiceWorld.boot before setUp');
    const config = loadConfig(service.env, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl(),
      KAFKA_BROKERS: kafkaBrokers().join(','),
      IOC_TOPIC_SUFFIX: this.suffix,
      DB_SCHEMA: this.schemaOf(service.name),
      AUTH_DEV_KEYS_DIR: this.keysDir,
      ...this.options.env,
      ...env,
    });
    const app = await service.createApp(config, options);
    this.apps.push(app);
    await app.listen(0, '127.0.0.1');
    return app;
  }

  /** Stops one instance (the others, and the world, go on). */
  async stop(app: INestApplication): Promise<void> {
    this.apps.splice(this.apps.indexOf(app), 1);
    await app.close();
  }

  /** Where the world's development issuer keeps its keys: a service started as a process gets it as AUTH_DEV_KEYS_DIR. */
  get devKeysDir(): string {
    if (this.keysDir === undefined) throw new Error('ServiceWorld.devKeysDir before setUp');
    return this.keysDir;
  }

  /** A bearer token from the development issuer the booted services trust. */
  async token(claims: DevTokenClaims): Promise<string> {
    if (this.issuer === undefined) throw new Error('ServiceWorld.token before setUp');
    return this.issuer.mint(claims);
  }

  /** A new integrator API key, stored by `app`'s own key service, as the plaintext a caller sends. */
  async apiKey(app: INestApplication, integrator: string, scopes: readonly string[]): Promise<string> {
    return (await app.get(ApiKeyService).create(integrator, scopes)).plaintext;
  }

  /** Reads `topics` (base names) from the beginning until the world is torn down. */
  async read(topics: readonly TopicName[]): Promise<TopicReader> {
    const reader = await TopicReader.start(topics.map((base) => this.topic(base)));
    this.readers.push(reader);
    return reader;
  }

  /** Publishes events the way an integrator does: CloudEvents binary mode, keyed by subject. */
  async publish(base: TopicName, events: readonly IocEvent[]): Promise<void> {
    await this.publishRaw(
      base,
      events.map((event) => encodeKafkaMessage(event, 'binary')),
    );
  }

  /**
   * Publishes raw records (malformed or hostile input), to a partition of their own choosing if they name one,
   * with the record timestamp (epoch milliseconds) they name, else the broker's clock.
   */
  async publishRaw(
    base: TopicName,
    messages: {
      key: string;
      value: string | Buffer;
      headers?: Record<string, string>;
      partition?: number;
      /** Kafka CreateTime in ms since the epoch (a decimal string); now by default. */
      timestamp?: string;
    }[],
  ): Promise<void> {
    if (this.producer === undefined) {
      this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
      await this.producer.connect();
    }
    await this.producer.send({ topic: this.topic(base), acks: -1, messages });
  }

  async tearDown(): Promise<void> {
    for (const app of this.apps.splice(0)) await app.close();
    for (const reader of this.readers.splice(0)) await reader.stop();
    await this.producer?.disconnect();
    await dropTestData({ suffix: this.suffix, schemas: [...this.schemas.values()] });
    if (this.keysDir !== undefined) await rm(this.keysDir, { recursive: true, force: true });
  }
}
