import { NotFoundError } from '@ioc/observability';
import { assertAgencyScope, canAccessAgency } from './agency-scope';
import type { Principal } from './principal';

const operator: Principal = { subject: 'op', roles: ['operator'], kind: 'user' };
const agency: Principal = { subject: 'ag', roles: ['agency'], agencyId: 'AG-1', kind: 'user' };
const citizen: Principal = { subject: 'c', roles: ['citizen'], kind: 'user' };
const integrator: Principal = { subject: 'i', roles: ['integrator'], integratorId: 'i', kind: 'api-key' };

class ReportNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Report ${id} not found`, { code: 'REPORT.NOT_FOUND' });
  }
}

describe(canAccessAgency.name, () => {
  it.each([
    [operator, 'AG-1', true],
    [operator, null, true],
    [agency, 'AG-1', true],
    [agency, 'AG-2', false],
    [agency, null, false],
    [agency, undefined, false],
    [citizen, 'AG-1', false],
    [integrator, 'AG-1', false],
  ])('%o on agency %j → %j', (principal, agencyId, expected) => {
    expect(canAccessAgency(principal, agencyId)).toBe(expected);
  });
});

describe(assertAgencyScope.name, () => {
  it('lets an agency through to its own resource', () => {
    expect(() => assertAgencyScope(agency, 'AG-1')).not.toThrow();
  });

  it("answers another agency's resource like a missing one", () => {
    expect(() => assertAgencyScope(agency, 'AG-2', () => new ReportNotFoundError('R-7'))).toThrow(
      new ReportNotFoundError('R-7'),
    );
    expect(() => assertAgencyScope(citizen, 'AG-2')).toThrow(NotFoundError);
  });
});
