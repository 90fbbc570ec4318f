import { randomUUID } from 'node:crypto';
import type { AgencyAction, CitizenAction, SubmitReport } from '../scenario/actions';
import type { SentLog } from './sent-log';
import { type Interface, type Outcome, outcomeOf, type Tally } from './tally';

/** A bearer token for an agency's staff (the development issuer's, or the identity provider's). */
export type AgencyTokens = (agencyId: string) => Promise<string>;

/** What the reports service answered about a report the scenario submitted. */
interface Registered {
  readonly id: string;
  readonly trackingCode: string;
  /** Only citizens of the app and web get one (not Open311 clients). */
  readonly secret?: string;
  readonly duplicate: boolean;
}

export interface ReportsDriverOptions {
  baseUrl: string;
  tokens: AgencyTokens;
  /** Open311 `POST requests` needs an integrator key of the reports service; without one they are skipped. */
  open311ApiKey?: string;
  /** Photos to attach (JPEG or PNG bytes), used in turn. */
  photos: readonly Buffer[];
  tally: Tally;
  /** Where each report submission is written before it goes out and its outcome after (`SIMULATOR_SENT_LOG`). */
  sentLog?: SentLog;
  /** Per request; the simulator never waits longer for an answer. */
  timeoutMs?: number;
}

/**
 * Citizens, Open311 clients and agencies, over the reports service's public REST API exactly as they use it:
 * `POST /reports` (JSON, or multipart with photos; a fresh `Idempotency-Key` each), `POST /open311/v2/requests.json`,
 * the citizen endpoints by tracking code and secret, and the agency endpoints with that agency's token. It keeps
 * what the service answered for each scenario report, so later actions find its id.
 */
export class ReportsDriver {
  private readonly registered = new Map<string, Registered>();
  private photoTurn = 0;

  constructor(private readonly options: ReportsDriverOptions) {}

  async submit(action: SubmitReport): Promise<void> {
    if (action.via === 'open311') return this.submitOpen311(action);
    const report = {
      categoryCode: action.categoryCode,
      description: action.description,
      location: action.location,
      ...(action.addressText === undefined ? {} : { addressText: action.addressText }),
      reporter: action.reporter,
      channel: action.channel,
    };
    let body: string | FormData;
    const headers: Record<string, string> = { 'idempotency-key': randomUUID() };
    if (action.photos > 0 && this.options.photos.length > 0) {
      const form = new FormData();
      form.append('report', JSON.stringify(report));
      for (let i = 0; i < action.photos; i++) {
        const photo = this.options.photos[this.photoTurn++ % this.options.photos.length];
        form.append('photos', new Blob([photo], { type: 'image/jpeg' }), `photo-${i + 1}.jpg`);
      }
      body = form;
    } else {
      body = JSON.stringify(report);
      headers['content-type'] = 'application/json';
    }
    const logged = this.options.sentLog?.sent('reports.rest');
    const answer = await this.request('reports.rest', 'POST', '/reports', body, headers);
    const receipt = answer?.ok
      ? (answer.json as { id: string; trackingCode: string; secret: string; status: string })
      : undefined;
    if (logged !== undefined) this.logOutcome(logged, 'reports.rest', answer, receipt?.id);
    if (receipt !== undefined) {
      this.registered.set(action.ref, {
        id: receipt.id,
        trackingCode: receipt.trackingCode,
        secret: receipt.secret,
        duplicate: receipt.status === 'duplicate',
      });
    }
  }

  private async submitOpen311(action: SubmitReport): Promise<void> {
    const key = this.options.open311ApiKey;
    if (key === undefined) return this.options.tally.record('reports.open311', 'skipped');
    const [first, ...rest] = action.reporter.name.split(' ');
    const body = JSON.stringify({
      service_code: action.categoryCode,
      lat: action.location.lat,
      long: action.location.lon,
      description: action.description,
      ...(action.addressText === undefined ? {} : { address_string: action.addressText }),
      first_name: first,
      last_name: rest.join(' '),
      phone: action.reporter.phone,
    });
    const logged = this.options.sentLog?.sent('reports.open311');
    const answer = await this.request('reports.open311', 'POST', '/open311/v2/requests.json', body, {
      'content-type': 'application/json',
      'x-api-key': key,
    });
    const created = answer?.ok
      ? (answer.json as { service_request_id: string; token: string }[])[0]
      : undefined;
    if (logged !== undefined) this.logOutcome(logged, 'reports.open311', answer, created?.token);
    if (created !== undefined) {
      // Open311 answers the tracking code as the request id and the report id as its token.
      this.registered.set(action.ref, {
        id: created.token,
        trackingCode: created.service_request_id,
        duplicate: false,
      });
    }
  }

  async agency(action: AgencyAction): Promise<void> {
    const report = this.registered.get(action.ref);
    if (!report || report.duplicate) return this.options.tally.record('reports.agency', 'skipped');
    const verb = action.kind.slice('agency.'.length);
    const body =
      action.kind === 'agency.resolve'
        ? { answer: action.text ?? 'OK' }
        : action.kind === 'agency.decline'
          ? { reason: action.text ?? 'OK' }
          : undefined;
    let token: string;
    try {
      token = await this.options.tokens(action.agencyId);
    } catch {
      return this.options.tally.record('reports.agency', 'skipped');
    }
    await this.request(
      'reports.agency',
      'POST',
      `/agency/reports/${encodeURIComponent(report.id)}/${verb}`,
      body === undefined ? undefined : JSON.stringify(body),
      {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    );
  }

  async citizen(action: CitizenAction): Promise<void> {
    const report = this.registered.get(action.ref);
    if (!report?.secret || report.duplicate) return this.options.tally.record('reports.citizen', 'skipped');
    const verb = action.kind.slice('citizen.'.length);
    const body =
      action.kind === 'citizen.rate'
        ? { secret: report.secret, rating: action.rating ?? 5 }
        : action.kind === 'citizen.reopen'
          ? { secret: report.secret, reason: action.text ?? 'Chưa xử lý' }
          : { secret: report.secret };
    await this.request(
      'reports.citizen',
      'POST',
      `/reports/track/${encodeURIComponent(report.trackingCode)}/${verb}`,
      JSON.stringify(body),
      { 'content-type': 'application/json' },
    );
  }

  /** How many scenario reports the service registered (for the status and the tests). */
  get registeredCount(): number {
    return this.registered.size;
  }

  /** The service's ids of the reports registered so far. */
  registeredIds(): string[] {
    return [...this.registered.values()].map((report) => report.id);
  }

  private logOutcome(
    batch: string,
    on: Interface,
    answer: { outcome: Outcome } | undefined,
    reportId: string | undefined,
  ): void {
    this.options.sentLog?.outcome(batch, on, answer?.outcome ?? 'failed', reportId);
  }

  private async request(
    on: Interface,
    method: string,
    path: string,
    body: string | FormData | undefined,
    headers: Record<string, string>,
  ): Promise<{ ok: boolean; outcome: Outcome; json: unknown } | undefined> {
    try {
      const response = await fetch(new URL(path, this.options.baseUrl), {
        method,
        headers: { ...headers, 'user-agent': 'ioc-simulator' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      const outcome = outcomeOf(response.status);
      this.options.tally.record(on, outcome);
      const json: unknown = await response.json().catch(() => undefined);
      return { ok: outcome === 'accepted', outcome, json };
    } catch {
      this.options.tally.record(on, 'failed');
      return undefined;
    }
  }
}
