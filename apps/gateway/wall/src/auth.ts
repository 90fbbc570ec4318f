import type { Viewer } from './state';

/** The signed-in user as the page needs it: the token to send, who it says the user is, and until when. */
export interface Session {
  token: string;
  viewer: Viewer;
  subject: string;
  /** Epoch milliseconds of `exp`, if the token has one. */
  expiresAt?: number;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const MAX_TOKEN_LENGTH = 8192;

/**
 * Reads a token's claims for display and agency scoping only: the page cannot verify a signature and need not,
 * since the gateway verifies every token on every connection and call. Answers undefined for anything that is
 * not a compact JWS with a JSON payload. Roles come from `roles`, else Keycloak's `realm_access.roles`.
 */
export function sessionFromToken(token: string): Session | undefined {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  if (trimmed.length > MAX_TOKEN_LENGTH || !TOKEN_SHAPE.test(trimmed)) return undefined;
  let claims: Record<string, unknown>;
  try {
    const payload = trimmed.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')), (c) =>
      c.charCodeAt(0),
    );
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    claims = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const realm = claims.realm_access as { roles?: unknown } | undefined;
  const rawRoles = Array.isArray(claims.roles)
    ? claims.roles
    : Array.isArray(realm?.roles)
      ? realm.roles
      : [];
  const roles = rawRoles.filter((role): role is string => typeof role === 'string');
  const agencyId = typeof claims.agency_id === 'string' ? claims.agency_id : undefined;
  return {
    token: trimmed,
    viewer: { roles, ...(agencyId === undefined ? {} : { agencyId }) },
    subject: typeof claims.sub === 'string' ? claims.sub : '',
    ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp * 1000 } : {}),
  };
}

/** Whether the session has run out at `now` (epoch ms). */
export function isExpired(session: Session, now: number): boolean {
  return session.expiresAt !== undefined && session.expiresAt <= now;
}

/**
 * A token handed over in the URL fragment (`#token=…`, as an identity provider's implicit redirect or a
 * shared link gives it); the fragment never reaches a server. Answers the token and the fragment without it.
 */
export function tokenFromFragment(hash: string): { token?: string; rest: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token') ?? params.get('access_token') ?? undefined;
  params.delete('token');
  params.delete('access_token');
  const rest = params.toString();
  return { ...(token ? { token } : {}), rest: rest === '' ? '' : `#${rest}` };
}

/** What an operator may do from the wall: operators assign reports; both roles acknowledge incidents. */
export function permissions(viewer: Viewer): { acknowledgeIncident: boolean; assignReport: boolean } {
  const operator = viewer.roles.includes('operator');
  return {
    acknowledgeIncident: operator || (viewer.roles.includes('agency') && viewer.agencyId !== undefined),
    assignReport: operator,
  };
}
