import {
  type AdminUnit,
  type Agency,
  type Category,
  type GeoPoint,
  parseIsoDuration,
  routeReport,
  type RoutingRule,
  unitsAt,
} from '@ioc/reference-data';

/** The reference data the service works with, as read back from its own tables. */
export interface ReferenceSnapshot {
  readonly categories: readonly Category[];
  readonly agencies: readonly Agency[];
  readonly adminUnits: readonly AdminUnit[];
  readonly routingRules: readonly RoutingRule[];
}

/** A category with its SLA in milliseconds. */
export interface CategoryRules {
  readonly category: Category;
  readonly ackWithinMs: number;
  readonly resolveWithinMs: number;
  readonly duplicateWithinMs: number;
}

/** Where a point lies and who handles a category there. */
export interface Placement {
  /** Every unit containing the point, deepest first per hierarchy (see `unitsAt`). */
  readonly units: readonly AdminUnit[];
  /** The most specific matching rule, or undefined: the report goes to the operators' triage queue. */
  readonly rule?: RoutingRule;
}

/** Source of the snapshot; the repository in production, a fixture in unit specs. */
export abstract class ReferenceSource {
  abstract load(): Promise<ReferenceSnapshot>;
}

/**
 * The reference data the rules need, read from the service's tables and kept for `ttlMs` (seeding is rare;
 * routing a submission must not cost four queries). Units and rules are data, never constants
 * (docs/architecture.md, "Reference data is data").
 */
export class ReferenceCatalog {
  private cached?: { at: number; value: Promise<LoadedReference> };

  constructor(
    private readonly source: ReferenceSource,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async category(code: string): Promise<CategoryRules | undefined> {
    return (await this.current()).categories.get(code);
  }

  async categories(): Promise<readonly CategoryRules[]> {
    return [...(await this.current()).categories.values()];
  }

  async agency(id: string): Promise<Agency | undefined> {
    return (await this.current()).agencies.get(id);
  }

  /** The units containing `point` at `at` and the rule routing `categoryCode` there. */
  async place(point: GeoPoint, categoryCode: string, at: Date): Promise<Placement> {
    const reference = await this.current();
    const units = unitsAt(reference.snapshot.adminUnits, point, at);
    const rule =
      units.length === 0
        ? undefined
        : routeReport(
            reference.snapshot.routingRules,
            categoryCode,
            units.map((unit) => unit.code),
          );
    return { units, rule };
  }

  /** Forgets the cache, e.g. after a seed in the same process. */
  invalidate(): void {
    this.cached = undefined;
  }

  private current(): Promise<LoadedReference> {
    const now = this.now();
    if (!this.cached || now - this.cached.at > this.ttlMs) {
      const value = this.source.load().then(index);
      // A failed load must not stick: the next call tries again.
      value.catch(() => {
        if (this.cached?.value === value) this.cached = undefined;
      });
      this.cached = { at: now, value };
    }
    return this.cached.value;
  }
}

interface LoadedReference {
  snapshot: ReferenceSnapshot;
  categories: Map<string, CategoryRules>;
  agencies: Map<string, Agency>;
}

function index(snapshot: ReferenceSnapshot): LoadedReference {
  return {
    snapshot,
    categories: new Map(
      snapshot.categories.map((category) => [
        category.code,
        {
          category,
          ackWithinMs: parseIsoDuration(category.sla.ackWithin),
          resolveWithinMs: parseIsoDuration(category.sla.resolveWithin),
          duplicateWithinMs: parseIsoDuration(category.duplicate.within),
        },
      ]),
    ),
    agencies: new Map(snapshot.agencies.map((agency) => [agency.id, agency])),
  };
}
