import { Controller, Get, type INestApplication, Module, Param, Post } from '@nestjs/common';
import { type OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { Test } from '@nestjs/testing';
import { loadConfig, NotFoundError, ObservabilityModule } from '@ioc/observability';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import {
  ApiKeyAuth,
  ApiKeyService,
  assertAgencyScope,
  authEnv,
  AuthModule,
  CurrentPrincipal,
  DevTokenIssuer,
  InMemoryApiKeyRepository,
  type Principal,
  Public,
  Roles,
  socketAuthMiddleware,
  TokenVerifier,
} from '@ioc/auth';

// The guards, decorators and Socket.IO middleware wired the way an app wires them, behind the
// observability stack's exception filter, over in-process HTTP and a real Socket.IO connection.

const REPORT_AGENCY: Record<string, string> = { 'R-1': 'AG-1', 'R-2': 'AG-2' };

class ReportNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Report ${id} not found`, { code: 'REPORT.NOT_FOUND' });
  }
}

@Controller()
class ReportsController {
  @Get('whoami')
  whoami(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('reports/:id')
  @Roles('operator', 'agency')
  find(@Param('id') id: string, @CurrentPrincipal() principal: Principal): { id: string } {
    const agencyId = REPORT_AGENCY[id];
    if (agencyId === undefined) throw new ReportNotFoundError(id);
    assertAgencyScope(principal, agencyId, () => new ReportNotFoundError(id));
    return { id };
  }

  @Get('categories')
  @Public()
  categories(): string[] {
    return ['lighting'];
  }

  @Post('ingest')
  @ApiKeyAuth({ query: true })
  @Roles('integrator')
  ingest(@CurrentPrincipal() principal: Principal): { integratorId?: string } {
    return { integratorId: principal.integratorId };
  }
}

@WebSocketGateway()
class WallGateway implements OnGatewayInit {
  constructor(private readonly verifier: TokenVerifier) {}

  afterInit(server: Server): void {
    server.use(socketAuthMiddleware(this.verifier, { roles: ['operator', 'agency'] }));
  }

  @SubscribeMessage('whoami')
  @Roles('operator')
  whoami(@CurrentPrincipal() principal: Principal): string {
    return principal.subject;
  }
}

describe('AuthModule over HTTP and Socket.IO', () => {
  let keysDir: string;
  let app: INestApplication;
  let issuer: DevTokenIssuer;
  let apiKeys: ApiKeyService;
  let url: string;
  const sockets: Socket[] = [];

  const token = (claims: Parameters<DevTokenIssuer['mint']>[0]) => issuer.mint(claims);
  const operator = () => token({ subject: 'op-1', roles: ['operator'] });
  const agency = (agencyId: string) => token({ subject: `ag-${agencyId}`, roles: ['agency'], agencyId });

  beforeAll(async () => {
    keysDir = await mkdtemp(path.join(tmpdir(), 'ioc-auth-it-'));
    const config = loadConfig(authEnv, { AUTH_DEV_KEYS_DIR: keysDir });
    const repository = new InMemoryApiKeyRepository();

    @Module({
      imports: [
        ObservabilityModule.forRoot({ service: 'auth-it', level: 'silent' }),
        AuthModule.forRoot({ config, nodeEnv: 'test', apiKeys: { useFactory: () => repository } }),
      ],
      controllers: [ReportsController],
      providers: [WallGateway],
    })
    class AppModule {}

    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    issuer = await DevTokenIssuer.open({ keysDir, nodeEnv: 'test' });
    apiKeys = app.get(ApiKeyService);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await app.close();
    await rm(keysDir, { recursive: true, force: true });
  });

  describe('HTTP', () => {
    it('answers a request without credentials with 401 in the common error shape', async () => {
      const res = await request(app.getHttpServer()).get('/whoami').expect(401);

      expect(res.body).toEqual({
        statusCode: 401,
        code: 'AUTH.MISSING_CREDENTIALS',
        message: 'Bearer token required',
        correlationId: expect.any(String),
      });
    });

    it('answers a forged token with 401 AUTH.INVALID_TOKEN', async () => {
      const forged = `${(await operator()).slice(0, -4)}AAAA`;

      const res = await request(app.getHttpServer())
        .get('/whoami')
        .auth(forged, { type: 'bearer' })
        .expect(401);

      expect(res.body).toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
    });

    it('gives the handler the principal of a valid token', async () => {
      const res = await request(app.getHttpServer())
        .get('/whoami')
        .auth(await agency('AG-1'), { type: 'bearer' })
        .expect(200);

      expect(res.body).toEqual({ subject: 'ag-AG-1', roles: ['agency'], agencyId: 'AG-1', kind: 'user' });
    });

    it('answers a missing role with 403 AUTH.ROLE_REQUIRED', async () => {
      const citizen = await token({ subject: 'c-1', roles: ['citizen'] });

      const res = await request(app.getHttpServer())
        .get('/reports/R-1')
        .auth(citizen, { type: 'bearer' })
        .expect(403);

      expect(res.body).toMatchObject({ statusCode: 403, code: 'AUTH.ROLE_REQUIRED' });
    });

    it("answers another agency's report exactly like a missing one", async () => {
      const own = await request(app.getHttpServer())
        .get('/reports/R-1')
        .auth(await agency('AG-1'), { type: 'bearer' });
      const foreign = await request(app.getHttpServer())
        .get('/reports/R-2')
        .auth(await agency('AG-1'), { type: 'bearer' });
      const missing = await request(app.getHttpServer())
        .get('/reports/R-3')
        .auth(await agency('AG-1'), { type: 'bearer' });

      expect(own.status).toBe(200);
      expect(foreign.status).toBe(404);
      expect({ ...foreign.body, correlationId: 'x', message: 'x' }).toEqual({
        ...missing.body,
        correlationId: 'x',
        message: 'x',
      });
      expect(foreign.body.code).toBe('REPORT.NOT_FOUND');
    });

    it('lets operators see every agency’s reports', async () => {
      await request(app.getHttpServer())
        .get('/reports/R-2')
        .auth(await operator(), { type: 'bearer' })
        .expect(200);
    });

    it('keeps @Public() routes and the metrics endpoint open', async () => {
      await request(app.getHttpServer()).get('/categories').expect(200);
      await request(app.getHttpServer()).get('/metrics').expect(200);
    });

    it('authenticates integrators by API key, in the header or the query', async () => {
      const { plaintext } = await apiKeys.create('camera-vendor-a', ['ioc.camera.detections']);

      const byHeader = await request(app.getHttpServer())
        .post('/ingest')
        .set('X-API-Key', plaintext)
        .expect(201);
      const byQuery = await request(app.getHttpServer()).post(`/ingest?api_key=${plaintext}`).expect(201);

      expect(byHeader.body).toEqual({ integratorId: 'camera-vendor-a' });
      expect(byQuery.body).toEqual({ integratorId: 'camera-vendor-a' });
    });

    it('answers a wrong or missing API key with 401, even when a bearer token is sent', async () => {
      const wrong = await request(app.getHttpServer())
        .post('/ingest')
        .set('X-API-Key', 'ioc_nope')
        .expect(401);
      const bearerOnly = await request(app.getHttpServer())
        .post('/ingest')
        .auth(await operator(), { type: 'bearer' })
        .expect(401);

      expect(wrong.body).toMatchObject({ code: 'AUTH.INVALID_API_KEY' });
      expect(bearerOnly.body).toMatchObject({
        code: 'AUTH.MISSING_CREDENTIALS',
        message: 'API key required',
      });
    });
  });

  describe('Socket.IO', () => {
    function connect(
      auth: Record<string, unknown>,
    ): Promise<{ socket: Socket; error?: Error & { data?: unknown } }> {
      const socket = io(url, { auth, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      return new Promise((resolve) => {
        socket.once('connect', () => resolve({ socket }));
        socket.once('connect_error', (error) => resolve({ socket, error }));
      });
    }

    it('accepts a handshake with a valid token and knows its principal in handlers', async () => {
      const { socket, error } = await connect({ token: await operator() });

      expect(error).toBeUndefined();
      await expect(socket.emitWithAck('whoami', {})).resolves.toBe('op-1');
    });

    it.each([
      ['without a token', async () => ({}), 'AUTH.MISSING_CREDENTIALS', 401],
      ['with a garbage token', async () => ({ token: 'not-a-jwt' }), 'AUTH.INVALID_TOKEN', 401],
      [
        'of a citizen',
        async () => ({ token: await token({ subject: 'c', roles: ['citizen'] }) }),
        'AUTH.ROLE_REQUIRED',
        403,
      ],
    ])('rejects a handshake %s with connect_error carrying the code', async (_, auth, code, statusCode) => {
      const { error } = await connect(await auth());

      expect(error?.data).toEqual({ code, statusCode });
    });
  });
});
