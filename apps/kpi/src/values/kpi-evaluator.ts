import type { KpiPeriod, KpiStatus } from '@ioc/contracts';
import type { Tx } from '@ioc/database';
import type { Kpi } from '@ioc/reference-data';
import { Injectable } from '@nestjs/common';
import { type KpiCatalog, projectionMode, scale } from '../catalog/kpi-catalog';
import {
  type AggregateKey,
  aggregateKeyString,
  type AggregateState,
  emptyState,
  mergeInto,
} from '../computation/aggregate';
import { percentile } from '../computation/histogram';
import { localYearOf } from '../computation/period-bucket';
import { composite, judge, normalise, type Projection, project } from '../computation/projection';
import { ValuesRepository } from './values.repository';

/** A KPI's value for one key, with what it is judged on. */
export interface KpiValue {
  readonly key: AggregateKey;
  readonly kpi: Kpi;
  /** Undefined while nothing defines it (no denominator, no sample, no input with a target). */
  readonly value?: number;
  readonly sampleCount: number;
  readonly lateCount: number;
  readonly target?: number;
  readonly projection?: Projection;
  readonly status?: KpiStatus;
}

const APPROX_MS: Record<KpiPeriod, number> = {
  hour: 3_600_000,
  day: 86_400_000,
  month: 30 * 86_400_000,
  quarter: 91 * 86_400_000,
  year: 365 * 86_400_000,
};

/**
 * Turns stored aggregates into values, projections and standings (docs/architecture.md, "KPI service"):
 * a ratio from its counts, a percentile from its histogram, a time share with its entities' open intervals up
 * to `now`, a gauge from its changes up to the bucket, a composite from its inputs' scores against their
 * targets.
 */
@Injectable()
export class KpiEvaluator {
  constructor(private readonly values: ValuesRepository) {}

  async evaluate(
    tx: Tx,
    catalog: KpiCatalog,
    keys: readonly AggregateKey[],
    now: Date,
    timeZone: string,
  ): Promise<Map<string, KpiValue>> {
    const all = new Map<string, AggregateKey>();
    const expand = (key: AggregateKey) => {
      const id = aggregateKeyString(key);
      if (all.has(id)) return;
      all.set(id, key);
      const kpi = catalog.byCode.get(key.kpiCode);
      if (kpi?.formula.kind === 'composite')
        for (const input of kpi.formula.inputs) expand({ ...key, kpiCode: input.kpi });
    };
    keys.forEach(expand);
    const plain = [...all.values()].filter(
      (k) => catalog.byCode.get(k.kpiCode)?.formula.kind !== 'composite',
    );
    // A percentile sharing another's histogram reads it from that KPI's aggregate of the same bucket.
    const histogramKey = (key: AggregateKey) => ({ ...key, kpiCode: catalog.histogramOf(key.kpiCode) });
    const borrowed = plain.filter((k) => catalog.histogramOf(k.kpiCode) !== k.kpiCode).map(histogramKey);
    const stored = new Map(
      (await this.values.byKeys(tx, [...plain, ...borrowed])).map((a) => [aggregateKeyString(a), a] as const),
    );
    const stateOf = (key: AggregateKey): AggregateState => {
      const own = stored.get(aggregateKeyString(key)) ?? emptyState();
      if (catalog.histogramOf(key.kpiCode) === key.kpiCode) return own;
      return { ...own, histogram: stored.get(aggregateKeyString(histogramKey(key)))?.histogram ?? new Map() };
    };

    const gaugeKeys = plain.filter((k) => catalog.byCode.get(k.kpiCode)?.formula.kind === 'gauge');
    const gaugeLevels = await this.values.levels(tx, gaugeKeys);
    const levels = new Map(gaugeKeys.map((k, i) => [aggregateKeyString(k), gaugeLevels[i]] as const));

    const timeShareCodes = [...new Set(plain.map((k) => k.kpiCode))].filter(
      (code) => catalog.byCode.get(code)?.formula.kind === 'time-share',
    );
    const entities = await this.values.entities(tx, timeShareCodes);

    const results = new Map<string, KpiValue>();
    const computeOne = async (key: AggregateKey): Promise<KpiValue | undefined> => {
      const id = aggregateKeyString(key);
      const done = results.get(id);
      if (done) return done;
      const kpi = catalog.byCode.get(key.kpiCode);
      if (!kpi) return undefined;
      const elapsedShare = elapsed(key, now);
      const target = catalog.targetFor(
        kpi,
        key.period,
        localYearOf({ ...key, start: key.periodStart, end: key.periodEnd }, timeZone),
      );
      let result: KpiValue;
      if (kpi.formula.kind === 'composite') {
        const parts: {
          weight: number;
          score?: number;
          projected?: number;
          projection?: Projection;
          samples: number;
          late: number;
        }[] = [];
        for (const input of kpi.formula.inputs) {
          const value = await computeOne({ ...key, kpiCode: input.kpi });
          if (!value) continue;
          const inputTarget = value.target;
          const ok = value.value !== undefined && inputTarget !== undefined;
          parts.push({
            weight: input.weight,
            score: ok ? normalise(value.kpi.direction, value.value ?? 0, inputTarget) : undefined,
            projected:
              ok && value.projection
                ? normalise(value.kpi.direction, value.projection.value, inputTarget)
                : undefined,
            projection: value.projection,
            samples: value.sampleCount,
            late: value.lateCount,
          });
        }
        const value = composite(parts.map((p) => ({ weight: p.weight, score: p.score })));
        const projected = composite(parts.map((p) => ({ weight: p.weight, score: p.projected ?? p.score })));
        const basis: Projection['basis'] =
          elapsedShare >= 1
            ? 'final'
            : parts.some((p) => p.projection?.basis === 'trend')
              ? 'trend'
              : 'so-far';
        const projection =
          value === undefined
            ? undefined
            : { value: projected ?? value, basis, elapsedShare: Math.min(1, elapsedShare) };
        result = {
          key,
          kpi,
          ...(value === undefined ? {} : { value }),
          sampleCount: parts.reduce((sum, p) => sum + p.samples, 0),
          lateCount: parts.reduce((sum, p) => sum + p.late, 0),
          ...(target ? { target: target.value } : {}),
          ...(projection ? { projection } : {}),
          ...(projection && target ? { status: judge(kpi.direction, projection.value, target) } : {}),
        };
      } else {
        const state = stateOf(key);
        const withOpen =
          kpi.formula.kind === 'time-share' ? this.withOpenIntervals(kpi, key, state, entities, now) : state;
        const value = kpi.formula.kind === 'gauge' ? levels.get(id) : valueOf(kpi, withOpen);
        let recent: number | undefined;
        const mode = projectionMode(kpi);
        if (value !== undefined && mode === 'level' && elapsedShare < 1)
          recent = await this.recent(tx, kpi, key, now, entities, catalog.histogramOf(kpi.code));
        const projection =
          value === undefined
            ? undefined
            : project({ mode, value, sampleCount: state.samples, elapsedShare, recent });
        result = {
          key,
          kpi,
          ...(value === undefined ? {} : { value }),
          sampleCount: state.samples,
          lateCount: state.late,
          ...(target ? { target: target.value } : {}),
          ...(projection ? { projection } : {}),
          ...(projection && target ? { status: judge(kpi.direction, projection.value, target) } : {}),
        };
      }
      results.set(id, result);
      return result;
    };
    for (const key of keys) await computeOne(key);
    return results;
  }

  /** The value over the recent part of the period: its finer buckets of the last third elapsed (at least one). */
  private async recent(
    tx: Tx,
    kpi: Kpi,
    key: AggregateKey,
    now: Date,
    entities: Awaited<ReturnType<ValuesRepository['entities']>>,
    /** Whose aggregates to read: a percentile's sharing another's histogram are that one's, but for the code. */
    readCode: string,
  ): Promise<number | undefined> {
    const index = kpi.periods.indexOf(key.period);
    const finer = index > 0 ? kpi.periods[index - 1] : undefined;
    if (finer === undefined) return undefined;
    const elapsedMs = now.getTime() - key.periodStart.getTime();
    const from = new Date(
      Math.max(key.periodStart.getTime(), now.getTime() - Math.max(elapsedMs / 3, APPROX_MS[finer])),
    );
    const rows = await this.values.range(tx, {
      kpiCode: readCode,
      dimension: [key.dimensionKind, key.dimensionCode],
      period: finer,
      from: new Date(from.getTime() - APPROX_MS[finer]),
      to: key.periodEnd,
    });
    const merged = emptyState();
    for (const row of rows) {
      if (row.periodEnd.getTime() <= from.getTime()) continue;
      const state =
        kpi.formula.kind === 'time-share' ? this.withOpenIntervals(kpi, row, row, entities, now) : row;
      mergeInto(merged, state);
    }
    return merged.samples === 0 && merged.den === 0 ? undefined : valueOf(kpi, merged);
  }

  private withOpenIntervals(
    kpi: Kpi,
    key: AggregateKey,
    state: AggregateState,
    entities: Awaited<ReturnType<ValuesRepository['entities']>>,
    now: Date,
  ): AggregateState {
    if (kpi.formula.kind !== 'time-share') return state;
    const counted = kpi.formula.states;
    const result: AggregateState = { ...state, histogram: state.histogram };
    for (const entity of entities) {
      if (entity.kpiCode !== kpi.code) continue;
      if (!entity.dimensions.some(([kind, code]) => kind === key.dimensionKind && code === key.dimensionCode))
        continue;
      const from = Math.max(entity.since.getTime(), key.periodStart.getTime());
      const to = Math.min(now.getTime(), key.periodEnd.getTime());
      if (to <= from) continue;
      result.den += to - from;
      if (counted.includes(entity.state)) result.num += to - from;
    }
    return result;
  }
}

/** A KPI's value from its aggregate state (not for composites). */
export function valueOf(kpi: Kpi, state: AggregateState): number | undefined {
  const { formula } = kpi;
  switch (formula.kind) {
    case 'ratio':
    case 'time-share':
      return state.den > 0 ? (state.num / state.den) * scale(kpi) : undefined;
    case 'count':
      return state.n;
    case 'sum':
      return state.total;
    case 'mean':
      return state.n > 0 ? state.total / state.n : undefined;
    case 'percentile':
      return percentile(state.histogram, formula.percentile);
    case 'latest':
      return state.latest?.value;
    default:
      return undefined;
  }
}

function elapsed(key: AggregateKey, now: Date): number {
  const length = key.periodEnd.getTime() - key.periodStart.getTime();
  return Math.min(1, Math.max(0, (now.getTime() - key.periodStart.getTime()) / length));
}
