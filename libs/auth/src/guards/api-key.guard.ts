import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiKeyService } from '../api-keys/api-key.service';
import { InvalidApiKeyError, MissingCredentialsError } from '../auth.errors';
import type { Role } from '../principal';
import { API_KEY_AUTH_KEY, type ApiKeyAuthOptions, ROLES_KEY } from './metadata';
import type { AuthenticatedRequest } from './principal-holder';
import { assertRoles } from './roles';

interface ApiKeyRequest extends AuthenticatedRequest {
  headers: IncomingHttpHeaders;
  query?: Record<string, unknown>;
  body?: unknown;
}

/**
 * Authenticates an integrator by API key: the `X-API-Key` header, or where `@ApiKeyAuth()`
 * allows it the `api_key` query parameter or body field. Then checks `@Roles(...)`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const options =
      this.reflector.getAllAndOverride<ApiKeyAuthOptions | undefined>(API_KEY_AUTH_KEY, targets) ?? {};
    const req = context.switchToHttp().getRequest<ApiKeyRequest>();
    const presented = presentedKey(req, options);
    if (presented === undefined) throw new MissingCredentialsError('API key required');
    const principal = await this.apiKeys.verify(presented);
    if (!principal) throw new InvalidApiKeyError();
    req.principal = principal;
    assertRoles(principal, this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets));
    return true;
  }
}

function presentedKey(req: ApiKeyRequest, options: ApiKeyAuthOptions): string | undefined {
  const candidates: unknown[] = [req.headers['x-api-key']];
  if (options.query) candidates.push(req.query?.api_key);
  if (options.body && typeof req.body === 'object' && req.body !== null) {
    candidates.push((req.body as Record<string, unknown>).api_key);
  }
  const found = candidates.find((value) => value !== undefined && value !== '');
  if (found === undefined) return undefined;
  // A repeated header or parameter arrives as an array: never guess which one was meant.
  if (typeof found !== 'string') throw new InvalidApiKeyError();
  return found;
}
