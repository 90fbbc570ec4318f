import type { ReportStatus } from '@ioc/contracts';
import { NotFoundError, ValidationFailedError } from '@ioc/observability';
import { Injectable } from '@nestjs/common';
import { ReportsConfig } from '../config';
import { ReferenceCatalog } from '../reference/reference-catalog';
import type { Report } from '../reports/report';
import { OutsideCityError, ReportNotFoundError, UnknownCategoryError } from '../reports/report.errors';
import { ReportsRepository } from '../reports/reports.repository';
import { ReportsService } from '../reports/reports.service';
import { Clock } from '@ioc/platform';
import { UnitOfWork } from '@ioc/database';

/** A service (report category) in the GeoReport v2 list. */
export interface Open311ServiceEntry {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export interface Open311ServiceDefinition {
  service_code: string;
  attributes: never[];
}

/**
 * A service request as GeoReport v2 names its fields. The citizen's description is left out: it is public
 * here and citizens write phone numbers into it (apps/reports/README.md, Privacy); the agency's answer is `status_notes`.
 */
export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: null;
  zipcode: null;
  lat: number;
  long: number;
  media_url: null;
}

export interface Open311CreatedRequest {
  service_request_id: string;
  token: string;
  service_notice: string | null;
  account_id: string | null;
}

/** What `POST requests` carries, after validation. */
export interface Open311NewRequest {
  service_code: string;
  lat: number;
  long: number;
  description: string;
  address_string?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  email?: string;
  account_id?: string;
}

export interface Open311Filter {
  serviceRequestIds?: string[];
  serviceCodes?: string[];
  statuses?: ('open' | 'closed')[];
  startDate?: Date;
  endDate?: Date;
}

const CLOSED: readonly ReportStatus[] = ['resolved', 'closed', 'rejected'];
const OPEN: readonly ReportStatus[] = [
  'submitted',
  'assigned',
  'acknowledged',
  'in-progress',
  'reopened',
  'declined',
  'duplicate',
];
// GeoReport v2: without a date range, the last 90 days; at most 1000 requests per answer.
const DEFAULT_WINDOW_MS = 90 * 86_400_000;
const MAX_REQUESTS = 1000;

/** Open311 GeoReport v2 over the reports service's own rules (https://wiki.open311.org/GeoReport_v2). */
@Injectable()
export class Open311Service {
  constructor(
    private readonly catalog: ReferenceCatalog,
    private readonly reports: ReportsService,
    private readonly repository: ReportsRepository,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: ReportsConfig,
  ) {}

  /** Refuses a `jurisdiction_id` this deployment does not serve (when it names one). */
  checkJurisdiction(jurisdictionId: string | undefined): void {
    const served = this.config.REPORTS_OPEN311_JURISDICTION;
    if (jurisdictionId !== undefined && served !== undefined && jurisdictionId !== served)
      throw new NotFoundError('jurisdiction_id not found', { code: 'OPEN311.UNKNOWN_JURISDICTION' });
  }

  async services(): Promise<Open311ServiceEntry[]> {
    return (await this.catalog.categories()).map(({ category }) => ({
      service_code: category.code,
      service_name: category.names.en,
      description: category.names.vi,
      metadata: false,
      type: 'realtime',
      keywords: '',
      group: '',
    }));
  }

  async definition(serviceCode: string): Promise<Open311ServiceDefinition> {
    if (!(await this.catalog.category(serviceCode)))
      throw new NotFoundError('service_code not found', { code: 'OPEN311.UNKNOWN_SERVICE' });
    return { service_code: serviceCode, attributes: [] };
  }

  async create(input: Open311NewRequest): Promise<Open311CreatedRequest[]> {
    const name = [input.first_name, input.last_name].filter((part) => part !== undefined).join(' ');
    try {
      const receipt = await this.reports.submit({
        channel: 'open311',
        categoryCode: input.service_code,
        description: input.description,
        location: { lat: input.lat, lon: input.long },
        ...(input.address_string === undefined ? {} : { addressText: input.address_string }),
        reporter: {
          ...(name === '' ? {} : { name }),
          ...(input.phone === undefined ? {} : { phone: input.phone }),
          ...(input.email === undefined ? {} : { email: input.email }),
        },
      });
      return [
        {
          service_request_id: receipt.trackingCode,
          token: receipt.id,
          service_notice: null,
          account_id: input.account_id ?? null,
        },
      ];
    } catch (error) {
      // The same rules, told in the spec's field names.
      if (error instanceof UnknownCategoryError)
        throw new ValidationFailedError([{ field: 'service_code', message: 'is not a known service' }]);
      if (error instanceof OutsideCityError)
        throw new ValidationFailedError([{ field: 'lat/long', message: 'is outside the jurisdiction' }]);
      throw error;
    }
  }

  async requests(filter: Open311Filter): Promise<Open311Request[]> {
    const now = this.clock.now();
    const byId = filter.serviceRequestIds !== undefined;
    const end = filter.endDate ?? now;
    const start = filter.startDate ?? new Date(end.getTime() - DEFAULT_WINDOW_MS);
    const statuses =
      filter.statuses === undefined
        ? undefined
        : [
            ...(filter.statuses.includes('open') ? OPEN : []),
            ...(filter.statuses.includes('closed') ? CLOSED : []),
          ];
    const page = await this.uow.run((tx) =>
      this.repository.list(
        tx,
        byId
          ? {
              trackingCodes: filter.serviceRequestIds?.map((id) => id.toUpperCase()),
              limit: MAX_REQUESTS,
            }
          : {
              ...(filter.serviceCodes === undefined ? {} : { categoryCodes: filter.serviceCodes }),
              ...(statuses === undefined ? {} : { statuses }),
              submittedFrom: start,
              submittedTo: end,
              limit: MAX_REQUESTS,
            },
      ),
    );
    return Promise.all(page.map((report) => this.toRequest(report)));
  }

  async request(serviceRequestId: string): Promise<Open311Request[]> {
    const found = await this.requests({ serviceRequestIds: [serviceRequestId] });
    if (found.length === 0) throw new ReportNotFoundError();
    return found;
  }

  async token(token: string): Promise<{ service_request_id: string; token: string }[]> {
    const report = await this.uow.run((tx) => this.repository.findById(tx, token));
    if (!report) throw new ReportNotFoundError();
    return [{ service_request_id: report.trackingCode, token }];
  }

  private async toRequest(report: Report): Promise<Open311Request> {
    const category = await this.catalog.category(report.categoryCode);
    const agency = report.agencyId === null ? undefined : await this.catalog.agency(report.agencyId);
    return {
      service_request_id: report.trackingCode,
      status: CLOSED.includes(report.status) ? 'closed' : 'open',
      status_notes: report.answer,
      service_name: category?.category.names.en ?? report.categoryCode,
      service_code: report.categoryCode,
      agency_responsible: agency?.names.en ?? null,
      service_notice: null,
      requested_datetime: report.submittedAt.toISOString(),
      updated_datetime: report.updatedAt.toISOString(),
      expected_datetime: report.resolveDueAt?.toISOString() ?? null,
      address: report.addressText,
      address_id: null,
      zipcode: null,
      lat: report.location.lat,
      long: report.location.lon,
      media_url: null,
    };
  }
}
