import { EventTypes, type KpiDimensionKind, type KpiPeriod } from '@ioc/contracts';
import type { Kpi, KpiSource, KpiTarget } from '@ioc/reference-data';
import type { ProjectionMode } from '../computation/projection';

/** What a source feeds: a ratio's numerator or denominator, or the one source of other kinds. */
export type SourceRole = 'numerator' | 'denominator' | 'source';

/** A source of a KPI, as the fold meets it for an event type. */
export interface Feed {
  readonly kpi: Kpi;
  readonly role: SourceRole;
  readonly source: KpiSource;
  /** Whether this is the only feed of its KPI for the event type (so an event reaches the KPI once). */
  readonly alone: boolean;
  /** The KPI's breakdowns as (kind, event field) pairs, in its definition's order. */
  readonly dimensionFields: readonly (readonly [KpiDimensionKind, string])[];
  /** The same for KPIs broken down by the same fields, so that the fold reads an event's values once. */
  readonly dimensionsKey: string;
}

/**
 * The KPI catalog of one city, indexed for the fold: the feeds of each event type, and for each KPI the
 * composites that depend on it (directly or through other composites), which a change makes stale too.
 */
export class KpiCatalog {
  readonly byCode: ReadonlyMap<string, Kpi>;
  private readonly feeds = new Map<string, Feed[]>();
  private readonly dependants = new Map<string, string[]>();
  private readonly histograms = new Map<string, string>();

  constructor(
    /** The city's code: the code of the `city` dimension. */
    readonly cityCode: string,
    readonly kpis: readonly Kpi[],
  ) {
    this.byCode = new Map(kpis.map((kpi) => [kpi.code, kpi]));
    for (const kpi of kpis) {
      const { formula } = kpi;
      if (formula.kind === 'composite') continue;
      const sources: [SourceRole, KpiSource][] =
        formula.kind === 'ratio'
          ? [
              ['numerator', formula.numerator],
              ['denominator', formula.denominator],
            ]
          : formula.kind === 'gauge'
            ? formula.sources.map((source): [SourceRole, KpiSource] => ['source', source])
            : [['source', formula.source]];
      for (const [role, source] of sources) {
        const list = this.feeds.get(source.event) ?? [];
        const alone = !sources.some(([, other]) => other !== source && other.event === source.event);
        const dimensionFields = (
          Object.entries(kpi.dimensions) as [KpiDimensionKind, string | undefined][]
        ).filter((entry): entry is [KpiDimensionKind, string] => entry[1] !== undefined);
        const dimensionsKey = JSON.stringify([...dimensionFields].sort());
        list.push({ kpi, role, source, alone, dimensionFields, dimensionsKey });
        this.feeds.set(source.event, list);
      }
    }
    for (const kpi of kpis) this.dependants.set(kpi.code, this.compositesOver(kpi.code, new Set()));
    // Percentiles of one feed (a median and a p90 of the same values, say) read one histogram: the first's.
    const byFeed = new Map<string, string>();
    for (const kpi of kpis) {
      if (kpi.formula.kind !== 'percentile') continue;
      const feed = JSON.stringify([kpi.formula.source, kpi.periods, kpi.dimensions]);
      if (!byFeed.has(feed)) byFeed.set(feed, kpi.code);
      this.histograms.set(kpi.code, byFeed.get(feed) ?? kpi.code);
    }
  }

  /**
   * The KPI whose histogram a percentile KPI reads: the first in the catalog with the same source, periods and
   * dimensions, whose aggregates are therefore the same but for the code. Only that one's buckets are stored.
   */
  histogramOf(code: string): string {
    return this.histograms.get(code) ?? code;
  }

  /** The feeds an event of `type` reaches (none for a type no KPI reads). */
  feedsOf(type: string): readonly Feed[] {
    return this.feeds.get(type) ?? [];
  }

  /** Whether an observation for `code` can be applied: the KPI exists and reads observations. */
  isObserved(code: string): boolean {
    return this.feedsOf(EventTypes.kpiObservation).some((feed) => feed.kpi.code === code);
  }

  /** Composites whose value depends on `code`, nearest first. */
  compositesDependingOn(code: string): readonly string[] {
    return this.dependants.get(code) ?? [];
  }

  /** The target in force for a bucket of `period` starting in local `year`, if any. */
  targetFor(kpi: Kpi, period: KpiPeriod, year: number): KpiTarget | undefined {
    let found: KpiTarget | undefined;
    for (const target of kpi.targets)
      if (target.year <= year && (target.periods === undefined || target.periods.includes(period)))
        found = target;
    return found;
  }

  private compositesOver(code: string, seen: Set<string>): string[] {
    const direct = this.kpis.filter(
      (kpi) => kpi.formula.kind === 'composite' && kpi.formula.inputs.some((input) => input.kpi === code),
    );
    const result: string[] = [];
    for (const kpi of direct) {
      if (seen.has(kpi.code)) continue;
      seen.add(kpi.code);
      result.push(kpi.code, ...this.compositesOver(kpi.code, seen));
    }
    return result;
  }
}

/** How a KPI's projection is formed from its kind. */
export function projectionMode(kpi: Kpi): ProjectionMode {
  switch (kpi.formula.kind) {
    case 'count':
    case 'sum':
      return 'additive';
    case 'latest':
    case 'gauge':
      return 'none';
    default:
      return 'level';
  }
}

/** Whether the value is scaled to a percentage (ratio and time-share KPIs measured in percent). */
export function scale(kpi: Kpi): number {
  return kpi.unit === 'percent' ? 100 : 1;
}
