import { Controller, type ExecutionContext, Get, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InvalidTokenError } from '../auth.errors';
import type { Principal } from '../principal';
import { TokenVerifier } from '../tokens/token-verifier';
import { AuthGuard } from './auth.guard';
import { ApiKeyAuth, Public, Roles } from './decorators';

const operator: Principal = { subject: 'op-1', roles: ['operator'], kind: 'user' };
const citizen: Principal = { subject: 'c-1', roles: ['citizen'], kind: 'user' };

class FakeTokenVerifier extends TokenVerifier {
  readonly principals = new Map<string, Principal>([
    ['operator-token', operator],
    ['citizen-token', citizen],
  ]);

  async verify(token: string): Promise<Principal> {
    const principal = this.principals.get(token);
    if (!principal) throw new InvalidTokenError();
    return principal;
  }
}

@Controller('reports')
class ReportsController {
  @Get() list(): void {}
  @Public() @Get('public') open(): void {}
  @Roles('operator', 'agency') @Get('queue') queue(): void {}
  @ApiKeyAuth() @Roles('integrator') @Post('ingest') ingest(): void {}
}

@Public()
@Controller('open311')
class OpenController {
  @Get() services(): void {}
}

type Handler = (...args: never[]) => unknown;

function http(handler: Handler, req: object, controller: object = ReportsController): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

function ws(handler: Handler, client: object): ExecutionContext {
  return {
    getType: () => 'ws',
    getHandler: () => handler,
    getClass: () => ReportsController,
    switchToWs: () => ({ getClient: () => client }),
  } as unknown as ExecutionContext;
}

const proto = ReportsController.prototype;

describe(AuthGuard.name, () => {
  const sut = new AuthGuard(new Reflector(), new FakeTokenVerifier());

  it('authenticates a bearer token and puts the principal on the request', async () => {
    const req = { headers: { authorization: 'Bearer operator-token' } } as {
      headers: object;
      principal?: Principal;
    };

    await expect(sut.canActivate(http(proto.list, req))).resolves.toBe(true);
    expect(req.principal).toBe(operator);
  });

  it.each([
    ['no header', {}, 'AUTH.MISSING_CREDENTIALS'],
    ['a garbage header', { authorization: 'Basic b3A6cHc=' }, 'AUTH.INVALID_TOKEN'],
    ['an unknown token', { authorization: 'Bearer forged' }, 'AUTH.INVALID_TOKEN'],
  ])('answers 401 for %s', async (_, headers, code) => {
    await expect(sut.canActivate(http(proto.list, { headers }))).rejects.toMatchObject({
      kind: 'unauthorized',
      code,
    });
  });

  it('lets @Public() handlers and controllers through without credentials', async () => {
    await expect(sut.canActivate(http(proto.open, { headers: {} }))).resolves.toBe(true);
    await expect(
      sut.canActivate(http(OpenController.prototype.services, { headers: {} }, OpenController)),
    ).resolves.toBe(true);
  });

  it('answers 403 naming the required roles when the principal has none of them', async () => {
    const req = { headers: { authorization: 'Bearer citizen-token' } };

    await expect(sut.canActivate(http(proto.queue, req))).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'AUTH.ROLE_REQUIRED',
      details: { required: ['operator', 'agency'] },
    });
  });

  it('passes a principal with one of the roles', async () => {
    await expect(
      sut.canActivate(http(proto.queue, { headers: { authorization: 'Bearer operator-token' } })),
    ).resolves.toBe(true);
  });

  it('leaves @ApiKeyAuth() routes to the API key guard', async () => {
    await expect(sut.canActivate(http(proto.ingest, { headers: {} }))).resolves.toBe(true);
  });

  it('checks roles of Socket.IO messages against the handshake principal', async () => {
    await expect(sut.canActivate(ws(proto.queue, { data: { principal: operator } }))).resolves.toBe(true);
    await expect(sut.canActivate(ws(proto.queue, { data: { principal: citizen } }))).rejects.toMatchObject({
      code: 'AUTH.ROLE_REQUIRED',
    });
    await expect(sut.canActivate(ws(proto.queue, { data: {} }))).rejects.toMatchObject({
      code: 'AUTH.MISSING_CREDENTIALS',
    });
  });
});
