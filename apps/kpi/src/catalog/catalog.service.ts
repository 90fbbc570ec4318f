import { type Tx, UnitOfWork } from '@ioc/database';
import { ServiceUnavailableError } from '@ioc/observability';
import { Injectable } from '@nestjs/common';
import { ReferenceDataRepository } from '../reference/reference-data.repository';
import { KpiCatalog } from './kpi-catalog';

/** How long a loaded catalog is used before it is read again (a new seed is seen within this time). */
const RELOAD_AFTER_MS = 60_000;

/** Not seeded yet: transient for the consumers (retried), 503 at the HTTP edge. */
export class CatalogNotSeededError extends ServiceUnavailableError {
  constructor() {
    super('The KPI catalog has not been seeded yet', { code: 'KPI.CATALOG_NOT_SEEDED' });
  }
}

/** The seeded KPI catalog, read from the service's schema and kept for a minute. */
@Injectable()
export class CatalogService {
  private cached?: { catalog: KpiCatalog; at: number };

  constructor(
    private readonly uow: UnitOfWork,
    private readonly reference: ReferenceDataRepository,
  ) {}

  /** @throws CatalogNotSeededError before the first seed */
  async current(tx?: Tx): Promise<KpiCatalog> {
    if (this.cached && Date.now() - this.cached.at < RELOAD_AFTER_MS) return this.cached.catalog;
    const loaded = tx ? await this.reference.load(tx) : await this.uow.run((t) => this.reference.load(t));
    if (!loaded) throw new CatalogNotSeededError();
    const catalog = new KpiCatalog(loaded.cityCode, loaded.kpis);
    this.cached = { catalog, at: Date.now() };
    return catalog;
  }
}
