import { Topics, topicName } from '@ioc/contracts';
import { envInt, kafkaEnv } from '@ioc/observability';
import { z } from 'zod';

// The rule lives with the topic names in the contracts; ask it rather than repeat it.
function isValidSuffix(suffix: string): boolean {
  try {
    topicName(Topics.dlq, suffix);
    return true;
  } catch {
    return false;
  }
}

/** What provision-topics.cli.ts reads: the brokers and how to connect (as every service), the suffix, the replication. */
export const provisionTopicsEnv = kafkaEnv.safeExtend({
  IOC_TOPIC_SUFFIX: z
    .string()
    .refine(isValidSuffix, { error: 'must be letters, digits, ".", "_" and "-" only, at most 100' })
    .optional(),
  KAFKA_REPLICATION_FACTOR: envInt({ min: 1, max: 10 }).default(1),
});
