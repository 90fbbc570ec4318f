import { MessagingInboxProcessedAt1795600000000, MessagingOutboxInbox1795305600000 } from '@ioc/messaging';

/** Every migration of the kpi schema, oldest first. */
export const kpiMigrations = [MessagingOutboxInbox1795305600000, MessagingInboxProcessedAt1795600000000];
