import type { JWTPayload } from 'jose';
import { InvalidTokenError } from '../auth.errors';
import { isRole, type Principal, type Role } from '../principal';

// Ids travel into SQL filters, logs and Socket.IO room names: keep them short and plain.
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

function optionalId(payload: JWTPayload, claim: string): string | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !ID.test(value))
    throw new InvalidTokenError(`Token has an invalid "${claim}" claim`);
  return value;
}

/**
 * Maps verified JWT claims to a principal. Roles come from `rolesClaim` (a dotted path; an array
 * or a space-separated string); unknown roles are ignored. The `agency` role needs an `agency_id`
 * claim, or the token is rejected: an agency user without an agency would see nothing or, worse,
 * everything.
 * @throws InvalidTokenError
 */
export function principalFromClaims(payload: JWTPayload, rolesClaim: string): Principal {
  const subject = payload.sub;
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255) {
    throw new InvalidTokenError('Token has no usable "sub" claim');
  }
  const roles = [...new Set(stringList(claimAt(payload, rolesClaim)).filter(isRole))] as Role[];
  const agencyId = optionalId(payload, 'agency_id');
  if (roles.includes('agency') && agencyId === undefined) {
    throw new InvalidTokenError('The agency role requires an "agency_id" claim');
  }
  const integratorId =
    optionalId(payload, 'integrator_id') ?? (roles.includes('integrator') ? subject : undefined);
  const scopes = stringList(payload.scope);
  return {
    subject,
    roles,
    kind: 'user',
    ...(agencyId === undefined ? {} : { agencyId }),
    ...(integratorId === undefined ? {} : { integratorId }),
    ...(scopes.length === 0 ? {} : { scopes }),
  };
}
