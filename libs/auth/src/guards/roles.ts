import { RoleRequiredError } from '../auth.errors';
import type { Principal, Role } from '../principal';

/**
 * Passes when no role is required or the principal has at least one of `required`.
 * @throws RoleRequiredError (403)
 */
export function assertRoles(principal: Principal, required: readonly Role[] | undefined): void {
  if (!required || required.length === 0) return;
  if (!principal.roles.some((role) => required.includes(role))) throw new RoleRequiredError(required);
}
