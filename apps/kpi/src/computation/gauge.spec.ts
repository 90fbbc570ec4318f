import path from 'node:path';
import { createEvent, EventTypes } from '@ioc/contracts';
import { loadCityData } from '@ioc/reference-data';
import fc from 'fast-check';
import { KpiCatalog } from '../catalog/kpi-catalog';
import { DeltaSet } from './aggregate';
import { type ArrivedEvent, fold } from './fold';
import { applyGaugeChange, gaugeOrder, type GaugeState } from './gauge';

const settings = { timeZone: 'Asia/Ho_Chi_Minh', graceMs: 2 * 3_600_000 };
const types = [
  EventTypes.incidentOpened,
  EventTypes.incidentUpdated,
  EventTypes.incidentAcknowledged,
  EventTypes.incidentCleared,
] as const;
const statuses = ['open', 'open', 'acknowledged', 'cleared'] as const;

function change(incidentId: string, step: number, severity: 'high' | 'critical', unit: string): ArrivedEvent {
  const at = new Date(Date.UTC(2026, 9, 5, 3, step * 7));
  const event = createEvent(types[step % types.length] as typeof EventTypes.incidentOpened, {
    source: '/ioc/intake',
    subject: incidentId,
    data: {
      incidentId,
      source: 'camera',
      cameraId: 'CAM-TJ-001',
      class: 'accident',
      severity,
      status: statuses[step % statuses.length] as 'open',
      count: 1,
      firstSeenAt: at.toISOString(),
      lastSeenAt: at.toISOString(),
      location: { lat: 20.86, lon: 106.68 },
      adminUnitCode: unit,
      occurredAt: at.toISOString(),
      ...(step === 3 ? { clearedReason: 'resolved' } : {}),
    },
  });
  return { event, arrivedAt: at };
}

describe(applyGaugeChange.name, () => {
  let catalog: KpiCatalog;
  beforeAll(async () => {
    const data = await loadCityData(path.resolve(__dirname, '../../../../data/cities/hai-phong'));
    catalog = new KpiCatalog(data.city.code, data.kpis);
  });

  /** Levels per (KPI, dimension) summed over every month bucket, after folding `chunks` one by one. */
  function levels(chunks: ArrivedEvent[][]): Map<string, number> {
    const states = new Map<string, GaugeState | undefined>();
    const result = new Map<string, number>();
    for (const chunk of chunks) {
      const deltas = new DeltaSet();
      for (const c of fold(catalog, chunk, settings).gauges.sort(gaugeOrder)) {
        const id = `${c.kpi.code}/${c.entityId}`;
        states.set(id, applyGaugeChange(states.get(id), c, deltas, settings));
      }
      for (const d of deltas.sorted())
        if (d.period === 'month') {
          const id = `${d.kpiCode}/${d.dimensionKind}/${d.dimensionCode}`;
          result.set(id, (result.get(id) ?? 0) + d.total);
        }
    }
    return result;
  }

  it('ends at the levels of the latest states, whatever the order and chunking of the changes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 4 }),
            fc.constantFrom('high', 'critical') as fc.Arbitrary<'high' | 'critical'>,
            fc.constantFrom('HP.A', 'HP.B'),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        fc.integer({ min: 1, max: 5 }),
        fc.integer(),
        (incidents, chunk, seed) => {
          const events = incidents.flatMap(([steps, severity, unit], i) =>
            Array.from({ length: steps }, (_, step) => change(`i${i}`, step, severity, unit)),
          );
          // By hand: an incident is open at the end unless its last step is the clearing (step 3).
          const expected = new Map<string, number>();
          for (const [steps, severity, unit] of incidents)
            if (steps < 4)
              for (const dim of ['city/hai-phong', `unit/${unit}`]) {
                const id = `incidents-open-${severity}/${dim}`;
                expected.set(id, (expected.get(id) ?? 0) + 1);
              }
          const shuffled = fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
            numRuns: 1,
            seed,
          })[0];
          const chunks = Array.from({ length: Math.ceil(shuffled.length / chunk) }, (_, i) =>
            shuffled.slice(i * chunk, (i + 1) * chunk),
          );
          const got = [...levels(chunks)].filter(([, n]) => n !== 0);
          expect(new Map(got)).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });
});
