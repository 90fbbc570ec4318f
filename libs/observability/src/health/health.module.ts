import { type DynamicModule, type FactoryProvider, type ModuleMetadata, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, READINESS_OPTIONS, type ReadinessOptions } from './health.controller';
import type { ReadinessCheck } from './readiness';

/** Options of {@link HealthModule.forRoot}. */
export interface HealthModuleOptions {
  /** What the service needs before it takes traffic (Postgres, Kafka …). */
  checks: readonly ReadinessCheck[];
  /** Per-check timeout unless a check sets its own; default 2000 ms (below a typical probe timeout). */
  timeoutMs?: number;
}

/** Options of {@link HealthModule.forRootAsync}: checks built from providers such as the DataSource. */
export interface HealthModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  useFactory: (...deps: never[]) => HealthModuleOptions | Promise<HealthModuleOptions>;
  inject?: FactoryProvider['inject'];
}

const DEFAULT_TIMEOUT_MS = 2_000;

function resolve({ checks, timeoutMs = DEFAULT_TIMEOUT_MS }: HealthModuleOptions): ReadinessOptions {
  return { checks, timeoutMs };
}

/** `GET /health/live` and `GET /health/ready` (503 naming the failed checks). */
@Module({})
export class HealthModule {
  /** Health endpoints with checks known up front. */
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return HealthModule.create([], { provide: READINESS_OPTIONS, useValue: resolve(options) });
  }

  /** Health endpoints with checks made from injected providers, e.g. `postgresReadiness(dataSource)`. */
  static forRootAsync({ imports = [], useFactory, inject = [] }: HealthModuleAsyncOptions): DynamicModule {
    return HealthModule.create(imports, {
      provide: READINESS_OPTIONS,
      useFactory: async (...deps: never[]) => resolve(await useFactory(...deps)),
      inject,
    });
  }

  private static create(
    imports: NonNullable<ModuleMetadata['imports']>,
    optionsProvider: NonNullable<ModuleMetadata['providers']>[number],
  ): DynamicModule {
    return {
      module: HealthModule,
      // Terminus' own logger writes to the console directly; failures are logged through ours.
      imports: [...imports, TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [optionsProvider],
    };
  }
}
