import type { Principal } from '@ioc/auth';
import type { KpiDimensionKind, KpiPeriod } from '@ioc/contracts';
import { UnitOfWork } from '@ioc/database';
import { decodeKeysetCursor, encodeKeysetCursor } from '@ioc/observability';
import { Clock } from '@ioc/platform';
import type { Kpi } from '@ioc/reference-data';
import { Injectable } from '@nestjs/common';
import { CatalogService } from '../catalog/catalog.service';
import type { KpiCatalog } from '../catalog/kpi-catalog';
import { KpiConfig } from '../config';
import { aggregateKeyString } from '../computation/aggregate';
import { bucketOf } from '../computation/period-bucket';
import { KpiEvaluator, type KpiValue } from './kpi-evaluator';
import { KpiNotFoundError, PeriodNotComputedError } from './values.errors';
import { ValuesRepository } from './values.repository';

const CURSOR_ID = /^[a-z0-9-]{1,64}\|[a-z]{1,16}\|[A-Za-z0-9._:-]{1,64}$/;

/** The slice an agency may see: its own agency dimension (docs/architecture.md, "Who uses it"). */
function agencyScope(principal: Principal): string | undefined {
  if (principal.roles.includes('operator')) return undefined;
  // An agency token always carries its agency id; one without sees nothing.
  return principal.agencyId ?? '\u0000';
}

/** The REST side's reads: catalog, current values, history and ranking, each evaluated at `now`. */
@Injectable()
export class KpiValuesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly catalogs: CatalogService,
    private readonly values: ValuesRepository,
    private readonly evaluator: KpiEvaluator,
    private readonly clock: Clock,
    private readonly config: KpiConfig,
  ) {}

  async catalog(): Promise<readonly Kpi[]> {
    return (await this.catalogs.current()).kpis;
  }

  /** The values of the bucket of `period` holding `at`, one per KPI and dimension value, in key order. */
  async current(
    principal: Principal,
    query: {
      period: KpiPeriod;
      at?: Date;
      kpi?: string;
      dimensionKind?: KpiDimensionKind;
      dimensionCode?: string;
      limit: number;
      cursor?: string;
    },
  ): Promise<{ items: KpiValue[]; nextCursor?: string }> {
    const catalog = await this.catalogs.current();
    const now = this.clock.now();
    const bucket = bucketOf(query.at ?? now, query.period, this.config.CITY_TIMEZONE);
    const agency = agencyScope(principal);
    const after = query.cursor === undefined ? undefined : decodeKeysetCursor(query.cursor, CURSOR_ID);
    if (after && after.at.getTime() !== bucket.start.getTime()) return { items: [] };
    const [kpiCode, dimensionKind, dimensionCode] = after?.id.split('|') ?? [];
    const codes = catalog.kpis
      .filter((k) => k.periods.includes(query.period) && (query.kpi === undefined || k.code === query.kpi))
      .map((k) => k.code);
    return this.uow.run(async (tx) => {
      const keys = await this.values.keysAt(tx, {
        kpiCodes: codes,
        period: query.period,
        start: bucket.start,
        dimensionKind: agency === undefined ? query.dimensionKind : 'agency',
        dimensionCode: agency ?? query.dimensionCode,
        after: after ? { kpiCode, dimensionKind, dimensionCode } : undefined,
        limit: query.limit,
      });
      const values = await this.evaluator.evaluate(tx, catalog, keys, now, this.config.CITY_TIMEZONE);
      const items = keys.flatMap((k) => values.get(aggregateKeyString(k)) ?? []);
      const last = keys[keys.length - 1];
      return {
        items,
        ...(keys.length === query.limit && last
          ? {
              nextCursor: encodeKeysetCursor({
                at: bucket.start,
                id: `${last.kpiCode}|${last.dimensionKind}|${last.dimensionCode}`,
              }),
            }
          : {}),
      };
    });
  }

  /** The last `limit` buckets of one KPI and dimension value up to the one holding `at`, oldest first. */
  async history(
    principal: Principal,
    code: string,
    query: {
      period: KpiPeriod;
      at?: Date;
      dimensionKind?: KpiDimensionKind;
      dimensionCode?: string;
      limit: number;
    },
  ): Promise<KpiValue[]> {
    const catalog = await this.catalogs.current();
    const kpi = this.kpiFor(catalog, code, query.period);
    const kind = query.dimensionKind ?? 'city';
    const dimensionCode = query.dimensionCode ?? (kind === 'city' ? catalog.cityCode : undefined);
    const agency = agencyScope(principal);
    if (
      dimensionCode === undefined ||
      (agency !== undefined && (kind !== 'agency' || dimensionCode !== agency))
    )
      throw new KpiNotFoundError();
    const now = this.clock.now();
    const bucket = bucketOf(query.at ?? now, query.period, this.config.CITY_TIMEZONE);
    return this.uow.run(async (tx) => {
      // Composites have (empty) rows too: the fold writes one wherever an input changed.
      const keys = await this.values.history(tx, {
        kpiCode: kpi.code,
        dimension: [kind, dimensionCode],
        period: query.period,
        before: bucket.end,
        limit: query.limit,
      });
      const values = await this.evaluator.evaluate(tx, catalog, keys, now, this.config.CITY_TIMEZONE);
      return keys.flatMap((k) => values.get(aggregateKeyString(k)) ?? []).reverse();
    });
  }

  /** Every unit (agency, category…) ranked by the KPI in the bucket holding `at`, best first. */
  async ranking(
    principal: Principal,
    code: string,
    query: { period: KpiPeriod; at?: Date; dimensionKind: Exclude<KpiDimensionKind, 'city'>; limit: number },
  ): Promise<(KpiValue & { rank: number })[]> {
    const catalog = await this.catalogs.current();
    const kpi = this.kpiFor(catalog, code, query.period);
    const agency = agencyScope(principal);
    if (agency !== undefined && query.dimensionKind !== 'agency') throw new KpiNotFoundError();
    const now = this.clock.now();
    const bucket = bucketOf(query.at ?? now, query.period, this.config.CITY_TIMEZONE);
    return this.uow.run(async (tx) => {
      const keys = await this.values.keysAt(tx, {
        kpiCodes: [kpi.code],
        period: query.period,
        start: bucket.start,
        dimensionKind: query.dimensionKind,
        limit: 10_000,
      });
      const values = await this.evaluator.evaluate(tx, catalog, keys, now, this.config.CITY_TIMEZONE);
      const better = kpi.direction === 'at-least' ? -1 : 1;
      const ranked = keys
        .flatMap((k) => values.get(aggregateKeyString(k)) ?? [])
        .filter((v): v is KpiValue & { value: number } => v.value !== undefined)
        .sort((a, b) => better * (a.value - b.value) || (a.key.dimensionCode < b.key.dimensionCode ? -1 : 1))
        .map((v, index) => ({ ...v, rank: index + 1 }));
      return (agency === undefined ? ranked : ranked.filter((v) => v.key.dimensionCode === agency)).slice(
        0,
        query.limit,
      );
    });
  }

  private kpiFor(catalog: KpiCatalog, code: string, period: KpiPeriod): Kpi {
    const kpi = catalog.byCode.get(code);
    if (!kpi) throw new KpiNotFoundError();
    if (!kpi.periods.includes(period)) throw new PeriodNotComputedError(code, period);
    return kpi;
  }
}
