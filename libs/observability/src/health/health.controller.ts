import { Controller, Get, Inject, Logger, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorFunction,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { ServiceUnavailableError } from '../errors/ioc-error';
import { PublicRoute } from '../public-route';
import { type ReadinessCheck, runWithTimeout } from './readiness';

/** DI token of the resolved readiness settings. */
export const READINESS_OPTIONS = Symbol('READINESS_OPTIONS');

/** Readiness checks with their default timeout. */
export interface ReadinessOptions {
  checks: readonly ReadinessCheck[];
  timeoutMs: number;
}

/** Kubernetes probes: liveness says the process answers; readiness runs the app's checks. */
@Controller('health')
@PublicRoute()
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_OPTIONS) private readonly options: ReadinessOptions,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    // Liveness must not depend on Postgres or Kafka: a restart would not fix them.
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.options.checks.map((check) => this.indicator(check)));
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const failed = Object.keys(result.error ?? {});
      this.logger.warn({ failed, checks: result.details }, 'Not ready');
      throw new ServiceUnavailableError(
        failed.length > 0 ? `Not ready: ${failed.join(', ')}` : `Not ready: ${result.status}`,
        { code: 'HEALTH.NOT_READY', details: { status: result.status, failed, checks: result.details } },
      );
    }
  }

  private indicator({ name, check, timeoutMs }: ReadinessCheck): HealthIndicatorFunction {
    return async () => {
      const session = this.indicators.check(name);
      try {
        await runWithTimeout(check, timeoutMs ?? this.options.timeoutMs);
        return session.up();
      } catch (error) {
        return session.down({ message: error instanceof Error ? error.message : String(error) });
      }
    };
  }
}
