import { qualifiedTable, type Tx } from '@ioc/database';
import type { CityDataUpsert } from '@ioc/platform';
import { type AdminUnit, type Agency, type CityData, parseIsoDuration } from '@ioc/reference-data';
import type { DataSource } from 'typeorm';
import { ReferenceSource, type ReferenceSnapshot } from './reference-catalog';

/** What the seed changed. */
type SeedCounts = { categories: number; agencies: number; adminUnits: number; routingRules: number };

interface CategoryRow {
  code: string;
  name_vi: string;
  name_en: string;
  ack_within: string;
  resolve_within: string;
  duplicate_radius_m: number;
  duplicate_within: string;
}

interface AgencyRow {
  id: string;
  name_vi: string;
  name_en: string;
  kind: Agency['kind'];
  admin_unit_code: string | null;
  contact: Agency['contact'];
}

interface AdminUnitRow {
  code: string;
  hierarchy: AdminUnit['hierarchy'];
  valid_from: string;
  valid_to: string | null;
  effective_from: Date;
  effective_to: Date | null;
  name_vi: string;
  name_en: string;
  level: AdminUnit['level'];
  parent_code: string | null;
  geometry: AdminUnit['geometry'];
}

interface RuleRow {
  id: string;
  category_code: string;
  admin_unit_code: string | null;
  agency_id: string;
}

/** Reads and upserts the reference data tables; only this file knows their SQL. */
export class ReferenceDataRepository implements CityDataUpsert {
  /** Upserts a city's data; units and rules the folder no longer has are removed (they would misroute). */
  async upsert(tx: Tx, data: CityData): Promise<SeedCounts> {
    const t = (name: string) => qualifiedTable(tx, name);
    for (const c of data.categories) {
      await tx.query(
        `INSERT INTO ${t('categories')} (code, name_vi, name_en, ack_within, ack_within_ms, resolve_within,
           resolve_within_ms, duplicate_radius_m, duplicate_within, duplicate_within_ms, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
         ON CONFLICT (code) DO UPDATE SET name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en,
           ack_within = EXCLUDED.ack_within, ack_within_ms = EXCLUDED.ack_within_ms,
           resolve_within = EXCLUDED.resolve_within, resolve_within_ms = EXCLUDED.resolve_within_ms,
           duplicate_radius_m = EXCLUDED.duplicate_radius_m, duplicate_within = EXCLUDED.duplicate_within,
           duplicate_within_ms = EXCLUDED.duplicate_within_ms, updated_at = now()`,
        [
          c.code,
          c.names.vi,
          c.names.en,
          c.sla.ackWithin,
          parseIsoDuration(c.sla.ackWithin),
          c.sla.resolveWithin,
          parseIsoDuration(c.sla.resolveWithin),
          c.duplicate.radiusMeters,
          c.duplicate.within,
          parseIsoDuration(c.duplicate.within),
        ],
      );
    }
    for (const a of data.agencies) {
      await tx.query(
        `INSERT INTO ${t('agencies')} (id, name_vi, name_en, kind, admin_unit_code, contact, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
         ON CONFLICT (id) DO UPDATE SET name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en,
           kind = EXCLUDED.kind, admin_unit_code = EXCLUDED.admin_unit_code, contact = EXCLUDED.contact,
           updated_at = now()`,
        [
          a.id,
          a.names.vi,
          a.names.en,
          a.kind,
          a.adminUnitCode,
          a.contact === null ? null : JSON.stringify(a.contact),
        ],
      );
    }
    await tx.query(`DELETE FROM ${t('admin_units')}`);
    for (const u of data.adminUnits) {
      await tx.query(
        `INSERT INTO ${t('admin_units')} (code, hierarchy, valid_from, valid_to, effective_from, effective_to,
           name_vi, name_en, level, parent_code, geometry)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          u.code,
          u.hierarchy,
          u.validFrom,
          u.validTo,
          new Date(u.effectiveFrom),
          u.effectiveTo === null ? null : new Date(u.effectiveTo),
          u.names.vi,
          u.names.en,
          u.level,
          u.parentCode,
          JSON.stringify(u.geometry),
        ],
      );
    }
    await tx.query(`DELETE FROM ${t('routing_rules')}`);
    for (const r of data.routingRules) {
      await tx.query(
        `INSERT INTO ${t('routing_rules')} (id, category_code, admin_unit_code, agency_id) VALUES ($1, $2, $3, $4)`,
        [r.id, r.categoryCode, r.adminUnitCode, r.agencyId],
      );
    }
    return {
      categories: data.categories.length,
      agencies: data.agencies.length,
      adminUnits: data.adminUnits.length,
      routingRules: data.routingRules.length,
    };
  }

  async load(tx: Tx): Promise<ReferenceSnapshot> {
    const t = (name: string) => qualifiedTable(tx, name);
    const [categories, agencies, units, rules] = await Promise.all([
      tx.query<CategoryRow[]>(`SELECT * FROM ${t('categories')} ORDER BY code`),
      tx.query<AgencyRow[]>(`SELECT * FROM ${t('agencies')} ORDER BY id`),
      tx.query<AdminUnitRow[]>(
        `SELECT code, hierarchy, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
           to_char(valid_to, 'YYYY-MM-DD') AS valid_to, effective_from, effective_to, name_vi, name_en, level,
           parent_code, geometry
         FROM ${t('admin_units')} ORDER BY code, hierarchy, valid_from`,
      ),
      tx.query<RuleRow[]>(`SELECT * FROM ${t('routing_rules')} ORDER BY id`),
    ]);
    return {
      categories: categories.map((c) => ({
        code: c.code,
        names: { vi: c.name_vi, en: c.name_en },
        sla: { ackWithin: c.ack_within, resolveWithin: c.resolve_within },
        duplicate: { radiusMeters: c.duplicate_radius_m, within: c.duplicate_within },
      })),
      agencies: agencies.map((a) => ({
        id: a.id,
        names: { vi: a.name_vi, en: a.name_en },
        kind: a.kind,
        adminUnitCode: a.admin_unit_code,
        contact: a.contact,
      })),
      adminUnits: units.map((u) => ({
        code: u.code,
        names: { vi: u.name_vi, en: u.name_en },
        level: u.level,
        parentCode: u.parent_code,
        hierarchy: u.hierarchy,
        validFrom: u.valid_from,
        validTo: u.valid_to,
        effectiveFrom: u.effective_from.getTime(),
        effectiveTo: u.effective_to === null ? null : u.effective_to.getTime(),
        geometry: u.geometry,
      })),
      routingRules: rules.map((r) => ({
        id: r.id,
        categoryCode: r.category_code,
        adminUnitCode: r.admin_unit_code,
        agencyId: r.agency_id,
      })),
    };
  }
}

/** The catalog's source in production: the service's own tables, read outside any transaction. */
export class DatabaseReferenceSource extends ReferenceSource {
  private readonly repository = new ReferenceDataRepository();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  load(): Promise<ReferenceSnapshot> {
    return this.repository.load(this.dataSource.manager);
  }
}
