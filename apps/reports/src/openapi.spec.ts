import { loadConfig } from '@ioc/observability';
import { checkedInOpenApi, OFFLINE_ENV, previewOpenApi, undocumentedAnswers } from '@ioc/testing';
import { AppModule, HTTP_SERVICE_OPTIONS, SERVICE_NAME } from './app.module';
import { reportsEnv } from './config';

describe('the reports OpenAPI document', () => {
  it('is checked in as served (npm run docs:openapi rewrites it)', async () => {
    const module = AppModule.forRoot(loadConfig(reportsEnv, OFFLINE_ENV));
    const { checkedIn, current } = await checkedInOpenApi(SERVICE_NAME, module, HTTP_SERVICE_OPTIONS);
    expect(checkedIn).toEqual(current);
  });

  it('documents every audience of the API with its security', async () => {
    const module = AppModule.forRoot(loadConfig(reportsEnv, OFFLINE_ENV));
    const document = JSON.parse(await previewOpenApi(module, HTTP_SERVICE_OPTIONS));
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/reports',
        '/reports/track/{code}',
        '/agency/reports/{id}/resolve',
        '/operator/reports/triage',
        '/open311/v2/requests.json',
      ]),
    );
    expect(document.paths['/open311/v2/requests.json']?.post?.security).toEqual([{ 'api-key': [] }]);
  });

  it('documents the answer and the error answers of every operation', async () => {
    const module = AppModule.forRoot(loadConfig(reportsEnv, OFFLINE_ENV));
    const document = JSON.parse(await previewOpenApi(module, HTTP_SERVICE_OPTIONS));
    expect(undocumentedAnswers(document)).toEqual([]);
  });
});
