import { Logger } from '@nestjs/common';
import type { MessagingLogger } from './logger';

/**
 * A {@link MessagingLogger} over Nest's Logger, which an app routes through its JSON logger
 * (`useIocLogger`), so kafkajs, the relay and the consumers log like the rest of the service instead of
 * to the console.
 */
export function nestMessagingLogger(context = 'messaging'): MessagingLogger {
  const logger = new Logger(context);
  return {
    debug: (fields, message) => logger.debug({ ...fields, msg: message }),
    info: (fields, message) => logger.log({ ...fields, msg: message }),
    warn: (fields, message) => logger.warn({ ...fields, msg: message }),
    error: (fields, message) => logger.error({ ...fields, msg: message }),
  };
}
