import type { KpiDimensionKind } from '@ioc/contracts';
import type { Tx } from '@ioc/database';
import { Injectable } from '@nestjs/common';
import { CatalogService } from '../catalog/catalog.service';
import type { KpiCatalog } from '../catalog/kpi-catalog';
import { KpiConfig } from '../config';
import { type AggregateKey, type DeltaSet } from './aggregate';
import { type ArrivedEvent, fold, type FoldSettings, type GaugeChange } from './fold';
import { applyGaugeChange, gaugeOrder, type GaugeState } from './gauge';
import { entityKey, lockGauges, ProjectionRepository, saveGauges } from './projection.repository';
import { applyTransition, type EntityState } from './time-share';

/**
 * Folds a chunk of source events into the projection (docs/architecture.md, "KPI service"): the aggregates
 * they change, set-wise, in the chunk's transaction (the one that marks them consumed), and the keys that
 * changed (with the composites over them) marked for publishing.
 */
@Injectable()
export class ComputationService {
  constructor(
    private readonly catalogs: CatalogService,
    private readonly projection: ProjectionRepository,
    private readonly config: KpiConfig,
  ) {}

  get settings(): FoldSettings {
    return { timeZone: this.config.CITY_TIMEZONE, graceMs: this.config.KPI_GRACE_PERIOD };
  }

  async apply(tx: Tx, events: readonly ArrivedEvent[]): Promise<void> {
    const catalog = await this.catalogs.current(tx);
    await applyToProjection(tx, catalog, this.projection, events, this.settings);
  }
}

/** The fold and its writes, shared by the live consumer and the rebuild. */
export async function applyToProjection(
  tx: Tx,
  catalog: KpiCatalog,
  projection: ProjectionRepository,
  events: readonly ArrivedEvent[],
  settings: FoldSettings,
): Promise<void> {
  const { deltas, transitions, gauges } = fold(catalog, events, settings);
  await applyGauges(tx, gauges, deltas, settings);
  if (transitions.length > 0) {
    const states = await projection.lockEntities(
      tx,
      transitions.map((t) => ({ kpiCode: t.kpi.code, entityId: t.entityId })),
    );
    const changed = new Map<string, EntityState>();
    for (const transition of transitions) {
      const id = entityKey(transition.kpi.code, transition.entityId);
      const next = applyTransition(states.get(id), transition, deltas, settings);
      if (next && next !== states.get(id)) {
        states.set(id, next);
        changed.set(id, next);
      }
    }
    await projection.saveEntities(
      tx,
      [...changed.values()].sort((a, b) =>
        entityKey(a.kpiCode, a.entityId) < entityKey(b.kpiCode, b.entityId) ? -1 : 1,
      ),
    );
  }
  addComposites(catalog, deltas);
  await projection.apply(tx, deltas.sorted());
}

/** Applies a chunk's gauge changes in their total order against the locked entity states, set-wise. */
async function applyGauges(
  tx: Tx,
  changes: GaugeChange[],
  deltas: DeltaSet,
  settings: FoldSettings,
): Promise<void> {
  if (changes.length === 0) return;
  const ids = [...new Set(changes.map((c) => entityKey(c.kpi.code, c.entityId)))].sort();
  const states = await lockGauges(
    tx,
    ids.map((id) => {
      const [kpiCode, entityId] = id.split('\u0000');
      return { kpiCode, entityId };
    }),
  );
  const changed = new Map<string, GaugeState>();
  for (const change of changes.sort(gaugeOrder)) {
    const id = entityKey(change.kpi.code, change.entityId);
    const previous = states.get(id);
    const next = applyGaugeChange(previous, change, deltas, settings);
    if (next && next !== previous) {
      states.set(id, next);
      changed.set(id, next);
    }
  }
  await saveGauges(
    tx,
    [...changed.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, state]) => state),
  );
}

/** Gives every composite over a changed KPI an (empty) change in the same dimension value and bucket. */
function addComposites(catalog: KpiCatalog, deltas: DeltaSet): void {
  for (const delta of deltas.all())
    for (const code of catalog.compositesDependingOn(delta.kpiCode)) {
      const kpi = catalog.byCode.get(code);
      if (!kpi || !kpi.periods.includes(delta.period)) continue;
      const kind: KpiDimensionKind = delta.dimensionKind;
      if (kind !== 'city' && kpi.dimensions[kind] === undefined) continue;
      const key: AggregateKey = { ...pick(delta), kpiCode: code };
      deltas.at(key);
    }
}

function pick(key: AggregateKey): AggregateKey {
  return {
    kpiCode: key.kpiCode,
    dimensionKind: key.dimensionKind,
    dimensionCode: key.dimensionCode,
    period: key.period,
    periodStart: key.periodStart,
    periodEnd: key.periodEnd,
  };
}
