import { bootstrapOrExit, createHttpService, loadConfig } from '@ioc/observability';
import { AppModule, httpServiceOptions } from './app.module';
import { reportsEnv } from './config';

void bootstrapOrExit(async () => {
  const config = loadConfig(reportsEnv);
  const app = await createHttpService(AppModule.forRoot(config), httpServiceOptions(config));
  await app.listen(config.PORT, '0.0.0.0');
});
