import { createHttpService } from '@ioc/observability';
import type { INestApplication } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { AppModule, httpServiceOptions, SERVICE_NAME } from './app.module';
import { ReportsConfig, reportsEnv } from './config';

/**
 * The app exactly as main.ts serves it: its modules on the common HTTP edge with this service's body limits.
 * The specs boot it through this function too, so that what they test cannot drift from what runs.
 */
export function createApp(
  config: ReportsConfig,
  options: { logDestination?: DestinationStream } = {},
): Promise<INestApplication> {
  return createHttpService(AppModule.forRoot(config, options), httpServiceOptions(config));
}

/** What starts the service: its name, the environment it reads and its app (main.ts; the test harness). */
export const reportsService = { name: SERVICE_NAME, env: reportsEnv, createApp };
