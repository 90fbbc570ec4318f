import { bootstrapOrExit, createHttpService, loadConfig } from '@ioc/observability';
import { AppModule, httpServiceOptions } from './app.module';
import { intakeEnv } from './config';

void bootstrapOrExit(async () => {
  const config = loadConfig(intakeEnv);
  const app = await createHttpService(AppModule.forRoot(config), httpServiceOptions(config));
  await app.listen(config.PORT, '0.0.0.0');
});
