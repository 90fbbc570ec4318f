import { InvalidTokenError } from '../auth.errors';
import { principalFromClaims } from './claims';

describe(principalFromClaims.name, () => {
  it('maps an operator token', () => {
    expect(principalFromClaims({ sub: 'u-1', roles: ['operator'] }, 'roles')).toEqual({
      subject: 'u-1',
      roles: ['operator'],
      kind: 'user',
    });
  });

  it('maps an agency token with its agency', () => {
    expect(
      principalFromClaims({ sub: 'u-2', roles: ['agency'], agency_id: 'AG-123' }, 'roles'),
    ).toMatchObject({
      roles: ['agency'],
      agencyId: 'AG-123',
    });
  });

  it('rejects the agency role without an agency_id claim', () => {
    expect(() => principalFromClaims({ sub: 'u-3', roles: ['agency'] }, 'roles')).toThrow(
      new InvalidTokenError('The agency role requires an "agency_id" claim'),
    );
  });

  it.each([[42], [''], ['AG 1'], ['x'.repeat(200)]])('rejects the agency_id %j', (agencyId) => {
    expect(() => principalFromClaims({ sub: 'u', roles: ['agency'], agency_id: agencyId }, 'roles')).toThrow(
      InvalidTokenError,
    );
  });

  it('reads roles from a nested claim and ignores roles it does not know', () => {
    const payload = {
      sub: 'u-4',
      realm_access: { roles: ['offline_access', 'operator', 'operator', 'citizen'] },
    };

    expect(principalFromClaims(payload, 'realm_access.roles').roles).toEqual(['operator', 'citizen']);
  });

  it('accepts roles as a space-separated string and finds none in odd shapes', () => {
    expect(principalFromClaims({ sub: 'u', roles: 'citizen operator' }, 'roles').roles).toEqual([
      'citizen',
      'operator',
    ]);
    expect(principalFromClaims({ sub: 'u', roles: { operator: true } }, 'roles').roles).toEqual([]);
    expect(principalFromClaims({ sub: 'u' }, 'a.b.c').roles).toEqual([]);
  });

  it('takes an integrator id from its claim, else from the subject', () => {
    expect(principalFromClaims({ sub: 'cam-vendor', roles: ['integrator'] }, 'roles').integratorId).toBe(
      'cam-vendor',
    );
    expect(
      principalFromClaims({ sub: 'svc-1', roles: ['integrator'], integrator_id: 'hotline' }, 'roles')
        .integratorId,
    ).toBe('hotline');
  });

  it('carries OAuth scopes', () => {
    expect(principalFromClaims({ sub: 'u', scope: 'ingest:cameras ingest:traffic' }, 'roles').scopes).toEqual(
      ['ingest:cameras', 'ingest:traffic'],
    );
  });

  it.each([[{}], [{ sub: '' }], [{ sub: 7 }]])('rejects a token without a usable subject: %j', (payload) => {
    expect(() => principalFromClaims(payload as never, 'roles')).toThrow(InvalidTokenError);
  });
});
