import { qualifiedTable, type Tx } from '@ioc/database';
import type { CityDataUpsert } from '@ioc/platform';
import type { CityData, Kpi } from '@ioc/reference-data';

/** The KPI catalog and the city's code, from the city's data folder; only the seed writes them. */
export class ReferenceDataRepository implements CityDataUpsert {
  /** Replaces the catalog with the folder's (a KPI no longer listed is no longer computed) and the city code. */
  async upsert(tx: Tx, data: CityData): Promise<{ kpis: number }> {
    await tx.query(
      `INSERT INTO ${qualifiedTable(tx, 'city')} (singleton, code) VALUES (true, $1)
       ON CONFLICT (singleton) DO UPDATE SET code = EXCLUDED.code`,
      [data.city.code],
    );
    const table = qualifiedTable(tx, 'kpi_definitions');
    await tx.query(`DELETE FROM ${table} WHERE NOT (code = ANY($1::text[]))`, [data.kpis.map((k) => k.code)]);
    await tx.query(
      `INSERT INTO ${table} (code, position, definition)
       SELECT r.code, r.position, r.definition FROM jsonb_to_recordset($1::jsonb) AS r(code text, position int, definition jsonb)
       ON CONFLICT (code) DO UPDATE SET position = EXCLUDED.position, definition = EXCLUDED.definition`,
      [JSON.stringify(data.kpis.map((kpi, position) => ({ code: kpi.code, position, definition: kpi })))],
    );
    return { kpis: data.kpis.length };
  }

  /** The seeded catalog in file order, or undefined before the first seed. */
  async load(tx: Tx): Promise<{ cityCode: string; kpis: Kpi[] } | undefined> {
    const [city] = await tx.query<{ code: string }[]>(`SELECT code FROM ${qualifiedTable(tx, 'city')}`);
    if (!city) return undefined;
    const rows = await tx.query<{ definition: Kpi }[]>(
      `SELECT definition FROM ${qualifiedTable(tx, 'kpi_definitions')} ORDER BY position`,
    );
    return { cityCode: city.code, kpis: rows.map((row) => row.definition) };
  }
}
