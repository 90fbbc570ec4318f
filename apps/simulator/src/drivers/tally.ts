import { Counter, register } from 'prom-client';

/** The public interfaces the simulator drives, each counted on its own. */
export const INTERFACES = [
  'reports.rest',
  'reports.open311',
  'reports.citizen',
  'reports.agency',
  'intake.http',
  'kafka',
] as const;
export type Interface = (typeof INTERFACES)[number];

/**
 * What became of an action: `accepted` (2xx, or Kafka acknowledged), `refused` (a 4xx: the service said no),
 * `failed` (no answer, a 5xx, the broker down) or `skipped` (not sent: no API key, or the report it acts on
 * was never registered or was linked as a duplicate).
 */
export const OUTCOMES = ['accepted', 'refused', 'failed', 'skipped'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type TallySnapshot = Record<Interface, Record<Outcome, number>>;

const METRIC = 'ioc_simulator_actions_total';

function actionsCounter(): Counter<'interface' | 'outcome'> {
  // The default registry (served at /metrics); a second copy of this module reuses the one counter.
  return (
    (register.getSingleMetric(METRIC) as Counter<'interface' | 'outcome'> | undefined) ??
    new Counter({
      name: METRIC,
      help: 'Simulated actions (requests, events) by interface and outcome',
      labelNames: ['interface', 'outcome'],
    })
  );
}

/** Counts of what the simulator sent and how it was answered, per interface; mirrored into Prometheus. */
export class Tally {
  private readonly counts = emptySnapshot();
  private readonly counter = actionsCounter();

  record(on: Interface, outcome: Outcome, count = 1): void {
    if (count <= 0) return;
    this.counts[on][outcome] += count;
    this.counter.inc({ interface: on, outcome }, count);
  }

  snapshot(): TallySnapshot {
    return JSON.parse(JSON.stringify(this.counts)) as TallySnapshot;
  }
}

export function emptySnapshot(): TallySnapshot {
  return Object.fromEntries(
    INTERFACES.map((name) => [name, Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0]))]),
  ) as TallySnapshot;
}

/** The outcome an HTTP status means. */
export function outcomeOf(status: number): Outcome {
  if (status >= 200 && status < 300) return 'accepted';
  if (status >= 400 && status < 500) return 'refused';
  return 'failed';
}
