// Checks the infra scripts against the real thing: a Postgres started from Debian's binaries, a Kafka broker
// started from the cached Maven artifacts, and the Jest global setup/teardown on a shared broker.
// Run: node --test scripts/infra/   (about 20 s; needs java, and mvn on the first run)
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import globalSetup from '../../test/global-setup.mjs';
import globalTeardown from '../../test/global-teardown.mjs';
import { ensureKafka, findKafka, kafkaAnswers } from './kafka.mjs';
import { ensurePostgres, postgresAnswers } from './postgres.mjs';
import { RUN_DIR, freePort, maskUrl } from './util.mjs';

const scratch = mkdtempSync(path.join(RUN_DIR, 'infra-test-'));
// As root, Postgres runs as the `postgres` user, who must be able to traverse to its data dir.
chmodSync(scratch, 0o755);
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `work` with some environment variables replaced (undefined = unset), then restores them. */
async function withEnv(vars, work) {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  const apply = (values) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(vars);
  try {
    return await work();
  } finally {
    apply(saved);
  }
}

describe('maskUrl', () => {
  it('hides the password and keeps the rest', () => {
    assert.equal(maskUrl('postgres://ioc:s3cret@db:5432/ioc'), 'postgres://ioc:***@db:5432/ioc');
    assert.equal(
      maskUrl('postgres://postgres@127.0.0.1:5432/postgres'),
      'postgres://postgres@127.0.0.1:5432/postgres',
    );
  });
});

describe('ensurePostgres', () => {
  it('starts a server from the Debian binaries when nothing answers, and stops it', async () => {
    const port = await freePort();
    const nowhere = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    const postgres = await withEnv({ DATABASE_URL: nowhere, IOC_PG_PROBE_URL: nowhere }, () =>
      ensurePostgres({
        dataDir: path.join(scratch, 'pg', 'data'),
        port,
        logFile: path.join(scratch, 'pg.log'),
      }),
    );
    try {
      assert.equal(postgres.started, true);
      assert.equal(postgres.url, `postgres://postgres@127.0.0.1:${port}/postgres`);
      assert.equal(await postgresAnswers(postgres.url), true);
    } finally {
      await postgres.stop();
    }
    assert.equal(await postgresAnswers(postgres.url), false);
  });

  it('uses DATABASE_URL when it answers and will not stop it', async () => {
    const found = await ensurePostgres();
    const reused = await withEnv({ DATABASE_URL: found.url }, () => ensurePostgres());
    assert.equal(reused.started, false);
    assert.equal(reused.url, found.url);
    await reused.stop();
    assert.equal(await postgresAnswers(found.url), true);
    await found.stop();
  });
});

describe('ensureKafka', () => {
  let kafka;
  before(async () => {
    kafka = await withEnv({ KAFKA_BROKERS: undefined }, async () =>
      ensureKafka({
        dataDir: path.join(scratch, 'kafka', 'data'),
        port: await freePort(),
        controllerPort: await freePort(),
        logFile: path.join(scratch, 'kafka.log'),
      }),
    );
  });
  after(() => kafka?.stop());

  it('starts a KRaft broker that refuses to auto-create topics', async () => {
    assert.equal(kafka.started, true);
    const producer = new Kafka({
      brokers: kafka.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 1 },
    }).producer({ allowAutoTopicCreation: true });
    await producer.connect();
    try {
      await assert.rejects(producer.send({ topic: 'ioc.no.such.topic', messages: [{ value: 'x' }] }));
    } finally {
      await producer.disconnect();
    }
  });

  it('reuses a running broker instead of starting another', async () => {
    const port = Number(kafka.brokers[0].split(':')[1]);
    const again = await withEnv({ KAFKA_BROKERS: undefined }, () => ensureKafka({ port }));
    assert.equal(again.started, false);
    assert.deepEqual(again.brokers, kafka.brokers);
    const viaEnv = await withEnv({ KAFKA_BROKERS: kafka.brokers.join(',') }, () => findKafka({ port: 1 }));
    assert.deepEqual(viaEnv, kafka.brokers);
  });

  it('refuses a port taken by something that is not Kafka', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address();
      await withEnv({ KAFKA_BROKERS: undefined }, () =>
        assert.rejects(findKafka({ port }), /is taken by something that is not a Kafka broker/),
      );
    } finally {
      server.close();
    }
  });

  it('stop() ends the broker it started', async () => {
    const { brokers } = kafka;
    await kafka.stop();
    kafka = undefined;
    assert.equal(await kafkaAnswers(brokers), false);
  });
});

describe('Jest global setup and teardown', () => {
  it("on a shared broker, removes only this run's topics, groups and schemas", async () => {
    const shared = await withEnv({ KAFKA_BROKERS: undefined }, async () =>
      ensureKafka({
        dataDir: path.join(scratch, 'shared', 'data'),
        port: await freePort(),
        controllerPort: await freePort(),
        logFile: path.join(scratch, 'shared.log'),
      }),
    );
    const saved = { ...process.env };
    try {
      process.env.KAFKA_BROKERS = shared.brokers.join(',');
      await globalSetup();
      const runId = process.env.IOC_TEST_RUN_ID;
      assert.match(runId, /^r[0-9a-f]{6}$/);
      assert.equal(process.env.KAFKA_BROKERS, shared.brokers.join(','));

      const kafka = new Kafka({ brokers: shared.brokers, logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      const ours = `ioc.probe.${runId}_0a1b2c`;
      const theirs = 'ioc.probe.rffffff_0a1b2c';
      await admin.createTopics({ topics: [{ topic: ours }, { topic: theirs }], waitForLeaders: true });
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`CREATE SCHEMA t_probe_${runId}_0a1b2c`);
      await client.query(`CREATE TABLE t_probe_${runId}_0a1b2c.x (id int)`);
      await client.query('CREATE SCHEMA IF NOT EXISTS t_probe_rffffff_0a1b2c');

      await globalTeardown();

      const topics = await admin.listTopics();
      assert.equal(topics.includes(ours), false);
      assert.equal(topics.includes(theirs), true);
      const { rows } = await client.query(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_probe\\_%' ORDER BY nspname",
      );
      assert.deepEqual(
        rows.map((row) => row.nspname),
        ['t_probe_rffffff_0a1b2c'],
      );
      await client.query('DROP SCHEMA t_probe_rffffff_0a1b2c');
      await client.end();
      await admin.disconnect();
      assert.equal(await kafkaAnswers(shared.brokers), true, 'a shared broker is left running');
    } finally {
      process.env = saved;
      await shared.stop();
    }
  });
});
