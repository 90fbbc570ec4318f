import { type AuthenticatedRequest, principalOf } from '@ioc/auth';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { IngestRateLimitedError } from './ingest.errors';
import { IngestRateLimiter } from './ingest-rate.limiter';

/**
 * Applies the per-key rate limit. Runs after the API key guard (method-level guards run after the
 * controller-level `@ApiKeyAuth()`), so only authenticated keys get a bucket and the map stays bounded by the
 * number of issued keys.
 */
@Injectable()
export class IngestRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: IngestRateLimiter) {}

  canActivate(context: ExecutionContext): boolean {
    const principal = principalOf(context.switchToHttp().getRequest<AuthenticatedRequest>());
    const decision = this.limiter.take(principal.apiKeyId ?? principal.subject);
    if (!decision.allowed) throw new IngestRateLimitedError(decision.retryAfterSeconds);
    return true;
  }
}
