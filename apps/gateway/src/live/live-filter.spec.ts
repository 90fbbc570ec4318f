import type { Principal } from '@ioc/auth';
import fc from 'fast-check';
import { type Audience, audienceOf, filterKey, filterOf, isVisible, type Routing } from './live-filter';

const wall = { kind: 'operator' } as const;
const agencyA = { kind: 'agency', agencyId: 'agency-a' } as const;
const everything = filterOf({});

describe('who sees a live change', () => {
  it('serves operators as the wall and agency users as their agency, nobody else', () => {
    const principal = (roles: Principal['roles'], agencyId?: string): Principal => ({
      subject: 's',
      roles,
      kind: 'user',
      ...(agencyId ? { agencyId } : {}),
    });
    expect(audienceOf(principal(['operator']))).toEqual(wall);
    expect(audienceOf(principal(['agency'], 'agency-a'))).toEqual(agencyA);
    expect(audienceOf(principal(['citizen']))).toBeUndefined();
    expect(audienceOf(principal(['integrator']))).toBeUndefined();
  });

  it('shows the wall everything it subscribed to', () => {
    for (const stream of ['reports', 'incidents', 'cameras', 'traffic', 'kpi'] as const)
      expect(isVisible(wall, everything, { stream, agencies: [] })).toBe(true);
    expect(isVisible(wall, filterOf({ streams: ['kpi'] }), { stream: 'reports', agencies: [] })).toBe(false);
  });

  it("shows an agency its own items, the change that takes one away, and none of the city's sensors", () => {
    expect(isVisible(agencyA, everything, { stream: 'reports', agencies: ['agency-a'] })).toBe(true);
    expect(isVisible(agencyA, everything, { stream: 'reports', agencies: ['agency-b', 'agency-a'] })).toBe(
      true,
    );
    expect(isVisible(agencyA, everything, { stream: 'reports', agencies: ['agency-b'] })).toBe(false);
    expect(isVisible(agencyA, everything, { stream: 'incidents', agencies: [] })).toBe(false);
    expect(isVisible(agencyA, everything, { stream: 'kpi', agencies: ['agency-a'] })).toBe(true);
    expect(isVisible(agencyA, everything, { stream: 'kpi', agencies: [], cityWide: true })).toBe(false);
    expect(isVisible(agencyA, everything, { stream: 'cameras', agencies: ['agency-a'] })).toBe(false);
    expect(isVisible(agencyA, everything, { stream: 'traffic', agencies: ['agency-a'] })).toBe(false);
  });

  it('narrows to administrative units, keeping city-wide KPI values', () => {
    const units = filterOf({ adminUnitCodes: ['79-760'] });
    expect(
      isVisible(wall, units, { stream: 'reports', agencies: [], adminUnitCodes: ['79', '79-760'] }),
    ).toBe(true);
    expect(isVisible(wall, units, { stream: 'reports', agencies: [], adminUnitCodes: ['79-761'] })).toBe(
      false,
    );
    expect(isVisible(wall, units, { stream: 'cameras', agencies: [] })).toBe(false);
    expect(isVisible(wall, units, { stream: 'kpi', agencies: [], cityWide: true })).toBe(true);
    expect(isVisible(wall, units, { stream: 'kpi', agencies: ['agency-a'] })).toBe(false);
  });

  it('narrows incidents to a minimum severity, and nothing else', () => {
    const high = filterOf({ minSeverity: 'high' });
    expect(isVisible(wall, high, { stream: 'incidents', agencies: [], severity: 'critical' })).toBe(true);
    expect(isVisible(wall, high, { stream: 'incidents', agencies: [], severity: 'high' })).toBe(true);
    expect(isVisible(wall, high, { stream: 'incidents', agencies: [], severity: 'medium' })).toBe(false);
    expect(isVisible(wall, high, { stream: 'reports', agencies: [] })).toBe(true);
  });

  it('never shows an agency what is neither assigned to it now nor was before the change', () => {
    const routing = fc.record({
      stream: fc.constantFrom('reports', 'incidents', 'cameras', 'traffic', 'kpi' as const),
      agencies: fc.array(fc.constantFrom('agency-a', 'agency-b', 'agency-c'), { maxLength: 2 }),
      cityWide: fc.boolean(),
    });
    fc.assert(
      fc.property(routing, (r) => {
        if (isVisible(agencyA, everything, r as Routing)) expect(r.agencies).toContain('agency-a');
      }),
    );
  });

  it('gives two clients one key only if they see the same changes, whatever the order of their filters', () => {
    const streams = ['reports', 'incidents', 'cameras', 'traffic', 'kpi'] as const;
    const client = fc.record({
      audience: fc.constantFrom<Audience>(wall, agencyA, { kind: 'agency', agencyId: 'agency-b' }),
      subscription: fc.record(
        {
          streams: fc.shuffledSubarray([...streams], { minLength: 1 }),
          adminUnitCodes: fc.shuffledSubarray(['u1', 'u2', 'u3'], { minLength: 1 }),
          minSeverity: fc.constantFrom('low', 'medium', 'high', 'critical' as const),
        },
        { requiredKeys: [] },
      ),
    });
    const routing = fc.record({
      stream: fc.constantFrom(...streams),
      agencies: fc.array(fc.constantFrom('agency-a', 'agency-b'), { maxLength: 2 }),
      adminUnitCodes: fc.option(fc.array(fc.constantFrom('u1', 'u2', 'u3'), { maxLength: 2 }), {
        nil: undefined,
      }),
      cityWide: fc.boolean(),
      severity: fc.constantFrom('low', 'medium', 'high', 'critical' as const),
    });
    fc.assert(
      fc.property(client, client, fc.array(routing, { minLength: 20, maxLength: 20 }), (a, b, routings) => {
        const [fa, fb] = [filterOf(a.subscription), filterOf(b.subscription)];
        const seen = (audience: Audience, filter: typeof fa) =>
          routings.map((r) => isVisible(audience, filter, r as Routing));
        if (filterKey(a.audience, fa) === filterKey(b.audience, fb))
          expect(seen(a.audience, fa)).toEqual(seen(b.audience, fb));
        const reordered = filterOf({
          ...a.subscription,
          ...(a.subscription.streams ? { streams: [...a.subscription.streams].reverse() } : {}),
          ...(a.subscription.adminUnitCodes
            ? { adminUnitCodes: [...a.subscription.adminUnitCodes].reverse() }
            : {}),
        });
        expect(filterKey(a.audience, reordered)).toBe(filterKey(a.audience, fa));
      }),
    );
  });
});
