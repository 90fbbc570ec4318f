import { CreateApiKeysTable1795400000000 } from '@ioc/auth';
import { MessagingInboxProcessedAt1795600000000, MessagingOutboxInbox1795305600000 } from '@ioc/messaging';
import { ReportsSchema1795500000000 } from './1795500000000-reports-schema.migration';
import { IdempotencyKeysExpiry1795510000000 } from './1795510000000-idempotency-keys-expiry.migration';

/** Every migration of the reports schema, oldest first. */
export const reportsMigrations = [
  MessagingOutboxInbox1795305600000,
  CreateApiKeysTable1795400000000,
  ReportsSchema1795500000000,
  IdempotencyKeysExpiry1795510000000,
  MessagingInboxProcessedAt1795600000000,
];
