import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE } from '@ioc/observability';
import type { IncomingHttpHeaders } from 'node:http';
import type { Principal, Role } from '../principal';
import { bearerTokenFrom } from '../tokens/bearer';
import { TokenVerifier } from '../tokens/token-verifier';
import { API_KEY_AUTH_KEY, ROLES_KEY } from './metadata';
import { type AuthenticatedRequest, type AuthenticatedSocket, principalOfSocket } from './principal-holder';
import { assertRoles } from './roles';

/**
 * Authenticates every route unless it is `@Public()`: a bearer JWT for HTTP, the principal the
 * handshake middleware stored for Socket.IO messages. Then checks `@Roles(...)`. Routes marked
 * `@ApiKeyAuth()` are left to {@link ApiKeyGuard}. Failures are 401/403 IocErrors, so the
 * global exception filter answers them in the common error shape.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets)) return true;
    if (this.reflector.getAllAndOverride<object | undefined>(API_KEY_AUTH_KEY, targets)) return true;

    const principal = await this.authenticate(context);
    assertRoles(principal, this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets));
    return true;
  }

  private async authenticate(context: ExecutionContext): Promise<Principal> {
    if (context.getType() === 'ws')
      return principalOfSocket(context.switchToWs().getClient<AuthenticatedSocket>());
    const req = context.switchToHttp().getRequest<AuthenticatedRequest & { headers: IncomingHttpHeaders }>();
    req.principal = await this.tokens.verify(bearerTokenFrom(req.headers.authorization));
    return req.principal;
  }
}
