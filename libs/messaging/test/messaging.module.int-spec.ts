import { Topics } from '@ioc/contracts';
import { DatabaseModule, qualifiedTable } from '@ioc/database';
import {
  ConsumerFactory,
  createKafka,
  KafkaReadiness,
  MessagingInboxProcessedAt1795600000000,
  KafkaModule,
  MessagingModule,
  MessagingOutboxInbox1795305600000,
  Outbox,
} from '@ioc/messaging';
import { databaseUrl, kafkaBrokers, waitFor, readTopic } from '@ioc/testing';
import { Test, type TestingModule } from '@nestjs/testing';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { useMessagingWorld } from './fixtures/messaging-world';
import { aDetection } from './fixtures/events';
import { applyDetection, TestEffects1795305600001 } from './fixtures/harness';

// The project's testTimeout is a per-project option jest-circus does not read; set it for this file.
jest.setTimeout(60_000);

describe(MessagingModule.name, () => {
  const world = useMessagingWorld({
    schema: 'module',
    migrate: false,
    partitions: { [Topics.cameraDetections]: 2, [Topics.dlq]: 1 },
  });
  const { schema, suffix } = world;
  let app: TestingModule;
  let dataSource: DataSource;

  beforeAll(async () => {
    app = await Test.createTestingModule({
      imports: [
        DatabaseModule.forRoot({
          url: databaseUrl(),
          schema,
          migrations: [
            MessagingOutboxInbox1795305600000,
            TestEffects1795305600001,
            MessagingInboxProcessedAt1795600000000,
          ],
        }),
        KafkaModule.forRoot({
          clientId: 'module-test',
          brokers: kafkaBrokers(),
          topicSuffix: suffix,
          logLevel: 'nothing',
        }),
        MessagingModule.forRootAsync({
          useFactory: () => ({
            relay: { pollIntervalMs: 200 },
            inboxPruner: { retentionMs: 24 * 60 * 60 * 1000, intervalMs: 200 },
          }),
        }),
      ],
    }).compile();
    world.stopAtTearDown({ stop: () => app.close() });
    await app.init();
    dataSource = app.get(DataSource);
  });

  it('migrates at start, relays the outbox, runs consumers from the factory and closes everything', async () => {
    const topic = world.topic(Topics.cameraDetections);
    const event = aDetection('cam-module');
    await dataSource.transaction((manager) => app.get(Outbox).enqueue(manager, topic, [event]));

    const records = await waitFor(
      async () => {
        const read = await readTopic(topic);
        return read.length > 0 && read;
      },
      { what: 'the relay started at bootstrap to publish' },
    );
    expect(records.map((r) => r.headers.ce_id)).toEqual([event.id]);

    const runner = app.get(ConsumerFactory).create({
      // The factory suffixes both, as every service's consumers rely on.
      groupId: 'module-test',
      consumerName: 'module-test',
      topics: [Topics.cameraDetections],
      handler: (received, { manager }) => applyDetection(manager, schema, received),
      session: { sessionTimeout: 6_000, heartbeatInterval: 300, rebalanceTimeout: 6_000 },
    });
    await runner.start();
    await waitFor(
      async () => {
        const [{ n }] = await dataSource.query(
          `SELECT count(*)::int AS n FROM ${qualifiedTable(dataSource, 'applied')}`,
        );
        return n === 1;
      },
      { what: 'the factory-made consumer to apply the event' },
    );

    // The inbox pruner started at bootstrap: a row older than the retention goes, the consumer's stays.
    await dataSource.query(
      `INSERT INTO ${qualifiedTable(dataSource, 'inbox')} (consumer, event_id, outcome, processed_at)
       VALUES ('module-test', 'expired', 'applied', now() - interval '2 days')`,
    );
    await waitFor(
      async () => {
        const rows: { event_id: string }[] = await dataSource.query(
          `SELECT event_id FROM ${qualifiedTable(dataSource, 'inbox')}`,
        );
        return rows.length === 1 && rows[0].event_id === event.id;
      },
      { what: 'the inbox pruner to delete the expired row' },
    );
    // The readiness of the module covers the factory's consumers.
    await expect(app.get(KafkaReadiness).check()).resolves.toBeUndefined();
    expect(runner.healthProblems()).toEqual([]);

    await app.close();
    expect(dataSource.isInitialized).toBe(false);
    expect(runner.healthProblems()).toEqual(['consumer module-test is stopped']);
    await expect(app.get(KafkaReadiness).check()).rejects.toMatchObject({
      code: 'MESSAGING.CONSUMER_UNHEALTHY',
      message: 'consumer module-test is stopped',
    });
  });

  it('reports Kafka as not ready when the broker does not answer in time', async () => {
    // A "broker" that accepts connections and never answers.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const sut = new KafkaReadiness(
      createKafka({
        clientId: 'silent',
        brokers: [`127.0.0.1:${port}`],
        logLevel: 'nothing',
        retry: { retries: 0 },
      }),
      500,
    );
    try {
      await expect(sut.check()).rejects.toMatchObject({ code: 'MESSAGING.KAFKA_TIMEOUT' });
    } finally {
      // Hang up, so the request still in flight ends and the admin's disconnect completes.
      sockets.forEach((socket) => socket.destroy());
      await sut.close();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
