import { type IocError, NotFoundError } from '@ioc/observability';
import type { Principal } from './principal';

/**
 * Whether `principal` may see a resource assigned to `agencyId`: operators see everything, an
 * agency user only its own agency's; citizens and integrators see no agency's resources through
 * this rule (their own access paths check ownership instead). Unassigned resources are operators'.
 */
export function canAccessAgency(principal: Principal, agencyId: string | null | undefined): boolean {
  if (principal.roles.includes('operator')) return true;
  return (
    principal.roles.includes('agency') &&
    principal.agencyId !== undefined &&
    agencyId !== null &&
    agencyId !== undefined &&
    principal.agencyId === agencyId
  );
}

/**
 * Throws unless {@link canAccessAgency}. Another agency's resource answers like a missing one
 * ("a report of another agency is 404"), so pass the same error the service throws for a missing
 * resource, e.g. `() => new ReportNotFoundError(id)`; otherwise the codes would tell them apart.
 * @throws the error made by `notFound` (default: NotFoundError `RESOURCE.NOT_FOUND`)
 */
export function assertAgencyScope(
  principal: Principal,
  agencyId: string | null | undefined,
  notFound: () => IocError = () => new NotFoundError(),
): void {
  if (!canAccessAgency(principal, agencyId)) throw notFound();
}
