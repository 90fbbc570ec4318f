import { Controller, Get, Inject, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, type SchemaObject } from '@nestjs/swagger';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorFunction,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { ApiErrorResponses } from '../bootstrap/api-error-responses';
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

/** What each check reported, by its name. */
const CHECKS_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
  example: { database: { status: 'up' } },
};

/** The 200 of both probes (terminus' result); a failure answers 503 with the shared error body. */
const ApiHealthyResponse = () =>
  ApiOkResponse({
    description: 'Every check is up',
    schema: {
      type: 'object',
      required: ['status', 'details'],
      properties: {
        status: { type: 'string', enum: ['ok'] },
        info: CHECKS_SCHEMA,
        error: { ...CHECKS_SCHEMA, example: {} },
        details: CHECKS_SCHEMA,
      },
    },
  });

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
  @ApiHealthyResponse()
  @ApiErrorResponses(503)
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  live(): Promise<HealthCheckResult> {
    // Liveness must not depend on Postgres or Kafka: a restart would not fix them.
    return this.health.check([]);
  }

  @Get('ready')
  @ApiHealthyResponse()
  @ApiErrorResponses({ status: 503, description: 'HEALTH.NOT_READY: details.failed names the failed checks' })
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
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
