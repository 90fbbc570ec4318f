import { isExpired, permissions, sessionFromToken, tokenFromFragment } from './auth';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const aToken = (claims: unknown) => `${b64url({ alg: 'ES256' })}.${b64url(claims)}.c2ln`;

describe(sessionFromToken.name, () => {
  it('reads roles, agency, subject and expiry from the payload', () => {
    const session = sessionFromToken(aToken({ sub: 'u1', roles: ['agency'], agency_id: 'AG-1', exp: 100 }));
    expect(session).toEqual({
      token: expect.any(String),
      subject: 'u1',
      viewer: { roles: ['agency'], agencyId: 'AG-1' },
      expiresAt: 100_000,
    });
    expect(isExpired(session!, 99_999)).toBe(false);
    expect(isExpired(session!, 100_000)).toBe(true);
  });

  it("reads Keycloak's realm roles and accepts a Bearer prefix", () => {
    const session = sessionFromToken(`Bearer ${aToken({ realm_access: { roles: ['operator', 7] } })}`);
    expect(session?.viewer).toEqual({ roles: ['operator'] });
  });

  it.each([
    ['empty', ''],
    ['not a JWS', 'hello'],
    ['markup', '<script>.a.b'],
    ['a payload that is not JSON', `a.${Buffer.from('nope').toString('base64url')}.c`],
    ['a JSON array payload', aToken([1, 2])],
    ['an oversized token', `a.${'b'.repeat(9000)}.c`],
  ])('refuses %s', (_name, token) => {
    expect(sessionFromToken(token)).toBeUndefined();
  });

  it('decodes unicode claims', () => {
    expect(sessionFromToken(aToken({ sub: 'Nguyễn 🚦', roles: [] }))?.subject).toBe('Nguyễn 🚦');
  });
});

describe(tokenFromFragment.name, () => {
  it('takes the token out of the fragment and keeps the rest', () => {
    expect(tokenFromFragment('#token=abc&lang=en')).toEqual({ token: 'abc', rest: '#lang=en' });
    expect(tokenFromFragment('#access_token=xyz')).toEqual({ token: 'xyz', rest: '' });
    expect(tokenFromFragment('')).toEqual({ rest: '' });
  });
});

describe(permissions.name, () => {
  it('lets operators assign and acknowledge, agencies only acknowledge', () => {
    expect(permissions({ roles: ['operator'] })).toEqual({ acknowledgeIncident: true, assignReport: true });
    expect(permissions({ roles: ['agency'], agencyId: 'A' })).toEqual({
      acknowledgeIncident: true,
      assignReport: false,
    });
    expect(permissions({ roles: ['citizen'] })).toEqual({ acknowledgeIncident: false, assignReport: false });
  });
});
