import { bootstrapOrExit, loadConfig } from '@ioc/observability';
import { createApp } from './bootstrap';
import { reportsEnv } from './config';

void bootstrapOrExit(async () => {
  const config = loadConfig(reportsEnv);
  const app = await createApp(config);
  await app.listen(config.PORT, '0.0.0.0');
});
