import { bootstrapOrExit, createHttpService, loadConfig } from '@ioc/observability';
import { AppModule, HTTP_SERVICE_OPTIONS } from './app.module';
import { simulatorEnv } from './config';

void bootstrapOrExit(async () => {
  const config = loadConfig(simulatorEnv);
  const app = await createHttpService(AppModule.forRoot(config), HTTP_SERVICE_OPTIONS);
  await app.listen(config.PORT, '0.0.0.0');
});
