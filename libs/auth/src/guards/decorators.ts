import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { PUBLIC_ROUTE } from '@ioc/observability';
import type { Principal, Role } from '../principal';
import { ApiKeyGuard } from './api-key.guard';
import { API_KEY_AUTH_KEY, type ApiKeyAuthOptions, ROLES_KEY } from './metadata';
import {
  type AuthenticatedRequest,
  type AuthenticatedSocket,
  principalOf,
  principalOfSocket,
} from './principal-holder';

/** Opens a handler or controller to unauthenticated callers. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Requires at least one of `roles` (403 otherwise). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * Authenticates the route with an integrator API key instead of a bearer token; combine with
 * `@Roles('integrator')` as usual.
 */
export const ApiKeyAuth = (options: ApiKeyAuthOptions = {}) =>
  applyDecorators(SetMetadata(API_KEY_AUTH_KEY, options), UseGuards(ApiKeyGuard));

/** Injects the authenticated {@link Principal} of an HTTP request or a Socket.IO message. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.getType() === 'ws'
    ? principalOfSocket(ctx.switchToWs().getClient<AuthenticatedSocket>())
    : principalOf(ctx.switchToHttp().getRequest<AuthenticatedRequest>());
});
