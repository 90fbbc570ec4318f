import { ConfigError, loadConfig } from '@ioc/observability';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiKeyService } from './api-keys/api-key.service';
import { InMemoryApiKeyRepository } from './api-keys/in-memory-api-key.repository';
import { authEnv } from './auth.env';
import { AuthModule } from './auth.module';
import { AuthGuard } from './guards/auth.guard';
import { JwtTokenVerifier } from './tokens/jwt-token.verifier';
import { TokenVerifier } from './tokens/token-verifier';

describe(AuthModule.name, () => {
  let keysDir: string;

  beforeEach(async () => {
    keysDir = await mkdtemp(path.join(tmpdir(), 'ioc-auth-module-'));
  });

  afterEach(async () => {
    await rm(keysDir, { recursive: true, force: true });
  });

  const config = () => loadConfig(authEnv, { AUTH_DEV_KEYS_DIR: keysDir });

  it('provides a token verifier and guards every route by default', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot({ config: config(), nodeEnv: 'development' })],
    }).compile();

    expect(moduleRef.get(TokenVerifier)).toBeInstanceOf(JwtTokenVerifier);
    expect(AuthModule.forRoot({ config: config(), nodeEnv: 'test' }).providers).toContainEqual({
      provide: APP_GUARD,
      useExisting: AuthGuard,
    });
    expect(() => moduleRef.get(ApiKeyService)).toThrow();
  });

  it('can leave guarding to the app', () => {
    const sut = AuthModule.forRoot({ config: config(), nodeEnv: 'test', globalGuard: false });

    expect(sut.providers).not.toContainEqual(expect.objectContaining({ provide: APP_GUARD }));
  });

  it('provides API keys on the repository the app makes', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthModule.forRoot({
          config: config(),
          nodeEnv: 'test',
          apiKeys: { useFactory: () => new InMemoryApiKeyRepository() },
        }),
      ],
    }).compile();
    const sut = moduleRef.get(ApiKeyService);

    const { plaintext } = await sut.create('hotline');

    await expect(sut.verify(plaintext)).resolves.toMatchObject({ integratorId: 'hotline' });
  });

  it('refuses to start the dev issuer in production', async () => {
    const compiling = Test.createTestingModule({
      imports: [AuthModule.forRoot({ config: config(), nodeEnv: 'production' })],
    }).compile();

    await expect(compiling).rejects.toBeInstanceOf(ConfigError);
  });
});
