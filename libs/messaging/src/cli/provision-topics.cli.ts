/**
 * Creates the missing topics of the catalog. Run by `npm start` (compiled) or `npx tsx` with the settings of
 * provision-topics.env.ts: KAFKA_BROKERS (comma-separated host:port, required), the services' KAFKA_SASL_* and
 * KAFKA_TLS* (optional), IOC_TOPIC_SUFFIX (optional), KAFKA_REPLICATION_FACTOR (optional, default 1).
 */
import { ConfigError, loadConfig } from '@ioc/observability';
import { createKafka } from '../kafka/kafka.factory';
import { kafkaConnection } from '../kafka/kafka-connection';
import { provisionTopics } from '../topics/provision-topics';
import { provisionTopicsEnv } from './provision-topics.env';

async function main(): Promise<void> {
  const env = loadConfig(provisionTopicsEnv);
  const admin = createKafka({ clientId: 'ioc-provision-topics', ...kafkaConnection(env) }).admin();
  await admin.connect();
  try {
    const report = await provisionTopics(admin, {
      suffix: env.IOC_TOPIC_SUFFIX,
      replicationFactor: env.KAFKA_REPLICATION_FACTOR,
    });
    console.log(JSON.stringify(report));
    for (const { topic, partitions, expected } of report.underPartitioned) {
      console.error(`warning: ${topic} has ${partitions} partitions, the catalog asks for ${expected}`);
    }
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  // A bad value stops the run with a message that names it, never the value.
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
