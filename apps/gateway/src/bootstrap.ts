import { createHttpService } from '@ioc/observability';
import type { INestApplication } from '@nestjs/common';
import { AppModule, type AppOptions, HTTP_SERVICE_OPTIONS, SERVICE_NAME } from './app.module';
import { GatewayConfig, gatewayEnv } from './config';

/**
 * The app exactly as main.ts serves it: its modules on the common HTTP edge with this service's body limits.
 * The specs boot it through this function too, so that what they test cannot drift from what runs.
 */
export function createApp(config: GatewayConfig, options: AppOptions = {}): Promise<INestApplication> {
  return createHttpService(AppModule.forRoot(config, options), HTTP_SERVICE_OPTIONS);
}

/** What starts the service: its name, the environment it reads and its app (main.ts; the test harness). */
export const gatewayService = { name: SERVICE_NAME, env: gatewayEnv, createApp };
