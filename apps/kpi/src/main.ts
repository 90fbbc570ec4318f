import { bootstrapOrExit, loadConfig } from '@ioc/observability';
import { createApp } from './bootstrap';
import { kpiEnv } from './config';

void bootstrapOrExit(async () => {
  const config = loadConfig(kpiEnv);
  const app = await createApp(config);
  await app.listen(config.PORT, '0.0.0.0');
});
