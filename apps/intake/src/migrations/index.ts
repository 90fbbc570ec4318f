import { CreateApiKeysTable1795400000000 } from '@ioc/auth';
import { MessagingOutboxInbox1795305600000 } from '@ioc/messaging';

/** Every migration of the intake schema, oldest first. */
export const intakeMigrations = [MessagingOutboxInbox1795305600000, CreateApiKeysTable1795400000000];
