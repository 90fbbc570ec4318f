import { Controller, type ExecutionContext, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyService } from '../api-keys/api-key.service';
import { InMemoryApiKeyRepository } from '../api-keys/in-memory-api-key.repository';
import type { Principal } from '../principal';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyAuth, Roles } from './decorators';

@Controller('ingest')
class IngestController {
  @ApiKeyAuth({ query: true, body: true }) @Roles('integrator') @Post() ingest(): void {}
  @ApiKeyAuth() @Post('header-only') headerOnly(): void {}
  @ApiKeyAuth() @Roles('operator') @Post('operators') operatorsOnly(): void {}
}

type Handler = (...args: never[]) => unknown;

function http(handler: Handler, req: object): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => IngestController,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

const proto = IngestController.prototype;

describe(ApiKeyGuard.name, () => {
  let apiKeys: ApiKeyService;
  let sut: ApiKeyGuard;
  let plaintext: string;

  beforeEach(async () => {
    apiKeys = new ApiKeyService(new InMemoryApiKeyRepository());
    sut = new ApiKeyGuard(new Reflector(), apiKeys);
    ({ plaintext } = await apiKeys.create('traffic-sensors', ['ioc.traffic.observations']));
  });

  it('authenticates the X-API-Key header as the integrator', async () => {
    const req = { headers: { 'x-api-key': plaintext } } as { headers: object; principal?: Principal };

    await expect(sut.canActivate(http(proto.ingest, req))).resolves.toBe(true);
    expect(req.principal).toMatchObject({
      kind: 'api-key',
      integratorId: 'traffic-sensors',
      roles: ['integrator'],
    });
  });

  it('accepts api_key in the query or body where the route allows it', async () => {
    await expect(
      sut.canActivate(http(proto.ingest, { headers: {}, query: { api_key: plaintext } })),
    ).resolves.toBe(true);
    await expect(
      sut.canActivate(http(proto.ingest, { headers: {}, body: { api_key: plaintext } })),
    ).resolves.toBe(true);
  });

  it('ignores api_key in the query where the route does not allow it', async () => {
    await expect(
      sut.canActivate(http(proto.headerOnly, { headers: {}, query: { api_key: plaintext } })),
    ).rejects.toMatchObject({ code: 'AUTH.MISSING_CREDENTIALS' });
  });

  it.each([
    ['a wrong key', { 'x-api-key': `ioc_0123456789abcdef_${'a'.repeat(43)}` }],
    ['a malformed key', { 'x-api-key': 'let-me-in' }],
  ])('answers 401 AUTH.INVALID_API_KEY for %s', async (_, headers) => {
    await expect(sut.canActivate(http(proto.ingest, { headers }))).rejects.toMatchObject({
      kind: 'unauthorized',
      code: 'AUTH.INVALID_API_KEY',
    });
  });

  it('refuses a repeated api_key rather than guessing', async () => {
    await expect(
      sut.canActivate(http(proto.ingest, { headers: {}, query: { api_key: [plaintext, plaintext] } })),
    ).rejects.toMatchObject({ code: 'AUTH.INVALID_API_KEY' });
  });

  it('checks @Roles() after authenticating', async () => {
    await expect(
      sut.canActivate(http(proto.operatorsOnly, { headers: { 'x-api-key': plaintext } })),
    ).rejects.toMatchObject({
      code: 'AUTH.ROLE_REQUIRED',
    });
  });

  it('answers 401 AUTH.INVALID_API_KEY once the key is revoked', async () => {
    const [, id] = plaintext.split('_');
    await apiKeys.revoke(id);

    await expect(
      sut.canActivate(http(proto.ingest, { headers: { 'x-api-key': plaintext } })),
    ).rejects.toMatchObject({
      code: 'AUTH.INVALID_API_KEY',
    });
  });
});
