import { loadConfig } from '@ioc/observability';
import { checkedInOpenApi, OFFLINE_ENV, previewOpenApi, undocumentedAnswers } from '@ioc/testing';
import { AppModule, HTTP_SERVICE_OPTIONS, SERVICE_NAME } from './app.module';
import { simulatorEnv } from './config';

describe('the simulator OpenAPI document', () => {
  it('is checked in as served (npm run docs:openapi rewrites it)', async () => {
    const module = AppModule.forRoot(loadConfig(simulatorEnv, OFFLINE_ENV));
    const { checkedIn, current } = await checkedInOpenApi(SERVICE_NAME, module, HTTP_SERVICE_OPTIONS);
    expect(checkedIn).toEqual(current);
  });

  it('documents the answer and the error answers of every operation', async () => {
    const module = AppModule.forRoot(loadConfig(simulatorEnv, OFFLINE_ENV));
    const document = JSON.parse(await previewOpenApi(module, HTTP_SERVICE_OPTIONS));
    expect(undocumentedAnswers(document)).toEqual([]);
  });
});
