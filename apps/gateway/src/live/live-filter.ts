import type { Principal } from '@ioc/auth';
import {
  INCIDENT_SEVERITIES,
  LIVE_STREAMS,
  type IncidentSeverity,
  type LiveStream,
  type LiveSubscription,
} from '@ioc/contracts';

/** Who a connection serves: the wall (operators: everything) or one agency (what is assigned to it). */
export type Audience = { kind: 'operator' } | { kind: 'agency'; agencyId: string };

/** The audience of a principal the handshake let in; undefined for a role the live push does not serve. */
export function audienceOf(principal: Principal): Audience | undefined {
  if (principal.roles.includes('operator')) return { kind: 'operator' };
  if (principal.roles.includes('agency') && principal.agencyId !== undefined)
    return { kind: 'agency', agencyId: principal.agencyId };
  return undefined;
}

/** What a client asked to narrow its stream to (a validated subscription, without its cursor). */
export interface LiveFilter {
  streams: ReadonlySet<LiveStream>;
  adminUnitCodes?: ReadonlySet<string>;
  minSeverity?: IncidentSeverity;
}

export function filterOf(subscription: LiveSubscription): LiveFilter {
  return {
    streams: new Set(subscription.streams ?? LIVE_STREAMS),
    ...(subscription.adminUnitCodes === undefined
      ? {}
      : { adminUnitCodes: new Set(subscription.adminUnitCodes) }),
    ...(subscription.minSeverity === undefined ? {} : { minSeverity: subscription.minSeverity }),
  };
}

/** The same for two clients exactly when they see the same changes: their audience and filter, written out. */
export function filterKey(audience: Audience, filter: LiveFilter): string {
  return JSON.stringify([
    audience.kind === 'agency' ? audience.agencyId : null,
    [...filter.streams].sort(),
    filter.adminUnitCodes === undefined ? null : [...filter.adminUnitCodes].sort(),
    filter.minSeverity ?? null,
  ]);
}

/**
 * What deciding who sees an item needs, worked out once per event (or snapshot item) from the item as it stands
 * after the change and as it stood before it: so that an agency an item was taken from, or a filter it moved out
 * of, still gets the change that tells it the item left, and nothing after it.
 */
export interface Routing {
  stream: LiveStream;
  /** Agencies the item is assigned to after the change and was assigned to before it. */
  agencies: readonly string[];
  /** Administrative units the item is in, after and before; undefined when it is in none (city-wide). */
  adminUnitCodes?: readonly string[];
  /** A KPI value of the whole city: shown to every unit filter. */
  cityWide?: boolean;
  /** An incident's severity: the higher of after and before. */
  severity?: IncidentSeverity;
}

const rank = (severity: IncidentSeverity) => INCIDENT_SEVERITIES.indexOf(severity);

/** Whether a client of `audience` subscribed with `filter` receives an item routed as `routing`. */
export function isVisible(audience: Audience, filter: LiveFilter, routing: Routing): boolean {
  if (!filter.streams.has(routing.stream)) return false;
  if (audience.kind === 'agency') {
    // Cameras and road segments are nobody's; an agency sees its own reports, incidents and KPI values.
    if (routing.stream === 'cameras' || routing.stream === 'traffic') return false;
    if (!routing.agencies.includes(audience.agencyId)) return false;
  }
  if (filter.adminUnitCodes !== undefined && routing.cityWide !== true) {
    const units = filter.adminUnitCodes;
    if (!routing.adminUnitCodes?.some((code) => units.has(code))) return false;
  }
  if (filter.minSeverity !== undefined && routing.stream === 'incidents') {
    if (routing.severity === undefined || rank(routing.severity) < rank(filter.minSeverity)) return false;
  }
  return true;
}
