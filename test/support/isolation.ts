import { createKafka, provisionTopics } from '@ioc/messaging';
import { Client } from 'pg';
import { databaseUrl, kafkaBrokers } from './env';

async function withAdmin<T>(
  work: (admin: ReturnType<ReturnType<typeof createKafka>['admin']>) => Promise<T>,
) {
  const admin = createKafka({
    clientId: 'test-isolation',
    brokers: kafkaBrokers(),
    logLevel: 'nothing',
  }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Creates the catalog's topics under this spec's suffix (`ioc.dlq.<suffix>` …). */
export async function provisionSuffixedTopics(suffix: string): Promise<void> {
  await withAdmin((admin) => provisionTopics(admin, { suffix }));
}

/** Drops what a spec made: its Postgres schemas and every topic carrying its suffix. */
export async function dropTestData({ suffix, schemas }: { suffix: string; schemas: readonly string[] }) {
  const pg = new Client({ connectionString: databaseUrl() });
  await pg.connect();
  try {
    for (const schema of schemas) await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await pg.end();
  }
  await withAdmin(async (admin) => {
    const ours = (await admin.listTopics()).filter((name) => name.endsWith(`.${suffix}`));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  });
}
