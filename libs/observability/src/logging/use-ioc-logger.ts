import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';

/**
 * Routes Nest's own logging (and `new Logger(...)` in services) through the JSON logger, then
 * flushes what was buffered during start-up (`NestFactory.create(AppModule, { bufferLogs: true })`).
 */
export function useIocLogger(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  app.flushLogs();
}
