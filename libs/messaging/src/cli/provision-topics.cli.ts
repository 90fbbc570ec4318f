/**
 * Creates the missing topics of the catalog. Run by `npm start` (compiled) or `npx tsx` with:
 * KAFKA_BROKERS (comma-separated host:port, required), IOC_TOPIC_SUFFIX (optional),
 * KAFKA_REPLICATION_FACTOR (optional, default 1).
 */
import { Topics, topicName } from '@ioc/contracts';
import { z } from 'zod';
import { createKafka } from '../kafka/kafka.factory';
import { provisionTopics } from '../topics/provision-topics';

const Env = z.object({
  KAFKA_BROKERS: z
    .string()
    .trim()
    .min(1)
    .transform((value) => value.split(',').map((broker) => broker.trim()))
    .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port'))),
  IOC_TOPIC_SUFFIX: z
    .string()
    .optional()
    .refine((suffix) => isValidSuffix(suffix), 'letters, digits, ".", "_" and "-" only, at most 100'),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(10).default(1),
});

// The rule lives with the topic names in the contracts; ask it rather than repeat it.
function isValidSuffix(suffix: string | undefined): boolean {
  try {
    topicName(Topics.dlq, suffix);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    // A bad value stops the run with a message that names it.
    for (const issue of parsed.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  const env = parsed.data;
  const admin = createKafka({ clientId: 'ioc-provision-topics', brokers: env.KAFKA_BROKERS }).admin();
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
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
