import { CreateApiKeysTable1795400000000 } from '@ioc/auth';
import { MessagingInboxProcessedAt1795600000000, MessagingOutboxInbox1795305600000 } from '@ioc/messaging';
import { IntakeSchema1795500000000 } from './intake-schema.migration';

/** Every migration of the intake schema, oldest first. */
export const intakeMigrations = [
  MessagingOutboxInbox1795305600000,
  CreateApiKeysTable1795400000000,
  IntakeSchema1795500000000,
  MessagingInboxProcessedAt1795600000000,
];
