import { MessagingInboxProcessedAt1795600000000, MessagingOutboxInbox1795305600000 } from '@ioc/messaging';

/** Every migration of the gateway schema, oldest first. */
export const gatewayMigrations = [MessagingOutboxInbox1795305600000, MessagingInboxProcessedAt1795600000000];
