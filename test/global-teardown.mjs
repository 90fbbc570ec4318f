// Jest globalTeardown of the `integration` project: removes what this run left on shared infrastructure and
// stops only what test/global-setup.mjs started.
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { say } from '../scripts/infra/util.mjs';

export default async function globalTeardown() {
  const infra = globalThis.__iocTestInfra;
  if (!infra) return;
  delete globalThis.__iocTestInfra;
  const { runId, kafka, postgres } = infra;
  const failures = [];
  const attempt = (what, work) => work().catch((error) => failures.push(`${what}: ${error.message}`));

  // A broker we started is deleted whole with its data dir; a shared one keeps only what others made.
  if (!kafka.started) await attempt('Kafka clean-up', () => removeRunTopicsAndGroups(kafka.brokers, runId));
  await attempt('Postgres clean-up', () => dropRunSchemas(postgres.url, runId));
  await attempt('stopping Kafka', () => kafka.stop());
  await attempt('stopping Postgres', () => postgres.stop());
  // Clean-up trouble must not turn a green run red, but it must be visible.
  for (const failure of failures) say(`test teardown: ${failure}`);
}

/** Spec topics are `<base>.<IOC_TEST_RUN_ID>_<hex>` (uniqueSuffix() in test/support/env.ts); groups follow suit. */
async function removeRunTopicsAndGroups(brokers, runId) {
  const admin = new Kafka({ clientId: 'ioc-test-teardown', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.includes(runId));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    const { groups } = await admin.listGroups();
    const groupIds = groups.map((group) => group.groupId).filter((groupId) => groupId.includes(runId));
    if (groupIds.length > 0) await admin.deleteGroups(groupIds);
  } finally {
    await admin.disconnect();
  }
}

/** Specs drop their own schema (`uniqueSchema()` → `t_<prefix>_<runId>_<hex>`); this catches the ones that could not. */
async function dropRunSchemas(url, runId) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%' AND strpos(nspname, $1) > 0`,
      [runId],
    );
    for (const { nspname } of rows)
      await client.query(`DROP SCHEMA ${client.escapeIdentifier(nspname)} CASCADE`);
  } finally {
    await client.end();
  }
}
