import {
  type DynamicModule,
  type FactoryProvider,
  Module,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeyService } from './api-keys/api-key.service';
import type { AuthEnv } from './auth.env';
import { ApiKeyGuard } from './guards/api-key.guard';
import { AuthGuard } from './guards/auth.guard';
import { createTokenVerifier } from './tokens/create-token-verifier';
import { TokenVerifier } from './tokens/token-verifier';

/** Options of {@link AuthModule.forRoot}. */
export interface AuthModuleOptions {
  /** The app's parsed config, including {@link authEnv}. */
  config: AuthEnv;
  /** NODE_ENV; the dev issuer is refused in production. */
  nodeEnv: string;
  /** Guard every route with {@link AuthGuard} unless `@Public()`; default true (secure by default). */
  globalGuard?: boolean;
  /** Enables {@link ApiKeyService} and {@link ApiKeyGuard} on the repository this factory makes. */
  apiKeys?: {
    imports?: ModuleMetadata['imports'];
    inject?: FactoryProvider['inject'];
    useFactory: (...deps: never[]) => ApiKeyRepository | Promise<ApiKeyRepository>;
  };
}

/**
 * Authentication for HTTP and Socket.IO: provides {@link TokenVerifier} (JWKS or dev issuer, per
 * AUTH_MODE), {@link AuthGuard} (global by default) and, when configured, integrator API keys.
 * Global, so gateways can inject the verifier for `socketAuthMiddleware`.
 */
@Module({})
export class AuthModule {
  static forRoot({ config, nodeEnv, globalGuard = true, apiKeys }: AuthModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: TokenVerifier, useFactory: () => createTokenVerifier(config, nodeEnv) },
      AuthGuard,
    ];
    if (globalGuard) providers.push({ provide: APP_GUARD, useExisting: AuthGuard });
    const exported: NonNullable<DynamicModule['exports']> = [TokenVerifier, AuthGuard];
    if (apiKeys) {
      providers.push(
        { provide: ApiKeyRepository, useFactory: apiKeys.useFactory, inject: apiKeys.inject ?? [] },
        ApiKeyService,
        ApiKeyGuard,
      );
      exported.push(ApiKeyService, ApiKeyGuard);
    }
    return {
      module: AuthModule,
      global: true,
      imports: apiKeys?.imports ?? [],
      providers,
      exports: exported,
    };
  }
}
