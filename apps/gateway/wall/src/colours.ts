import type { LiveCamera, LiveIncident, LiveKpi, LiveReport, LiveSegment } from '@ioc/contracts';

/**
 * The wall's colour scales, one place for the map, the tiles and the legend. Colours are chosen to stay apart on
 * a dark background and for the common colour-vision deficiencies (severity also changes marker size).
 */
export const NO_DATA = '#78909c';

const CONGESTION: Record<LiveSegment['level'], string> = {
  free: '#43a047',
  slow: '#fdd835',
  congested: '#fb8c00',
  jammed: '#d81b60',
};

const SEVERITY: Record<LiveIncident['severity'], string> = {
  low: '#4fc3f7',
  medium: '#ffca28',
  high: '#ff7043',
  critical: '#e53935',
};

const REPORT_STATUS: Record<LiveReport['status'], string> = {
  submitted: '#42a5f5',
  assigned: '#7e57c2',
  acknowledged: '#26a69a',
  'in-progress': '#29b6f6',
  resolved: '#66bb6a',
  closed: '#9e9e9e',
  reopened: '#ef5350',
  declined: '#ff7043',
  rejected: '#9e9e9e',
  duplicate: '#9e9e9e',
};

const CAMERA_STATUS: Record<LiveCamera['status'], string> = { online: '#66bb6a', offline: '#e53935' };

type KpiStatus = NonNullable<LiveKpi['current']['status']>;
const KPI_STATUS: Record<KpiStatus, string> = {
  'on-track': '#43a047',
  'at-risk': '#fbc02d',
  'off-track': '#e53935',
};

/** A segment's colour by congestion; grey for a segment with no observation yet. */
export function congestionColour(level: LiveSegment['level'] | undefined): string {
  return level === undefined ? NO_DATA : (CONGESTION[level] ?? NO_DATA);
}

/** An incident's colour by severity; a cleared incident fades to grey. */
export function incidentColour(incident: Pick<LiveIncident, 'severity' | 'status'>): string {
  if (incident.status === 'cleared') return NO_DATA;
  return SEVERITY[incident.severity] ?? NO_DATA;
}

/** Marker size in pixels: the more severe, the larger, so colour is never the only cue. */
export function incidentSize(severity: LiveIncident['severity']): number {
  return { low: 10, medium: 13, high: 16, critical: 20 }[severity] ?? 10;
}

/** Whether an incident still waits for an operator (drawn with a pulsing ring). */
export function incidentNeedsAttention(incident: Pick<LiveIncident, 'status'>): boolean {
  return incident.status === 'open';
}

/** A report's colour by status; an overdue report is drawn red whatever its status. */
export function reportColour(report: Pick<LiveReport, 'status' | 'overdue'>): string {
  if (report.overdue && !['resolved', 'closed', 'rejected', 'duplicate'].includes(report.status)) {
    return '#e53935';
  }
  return REPORT_STATUS[report.status] ?? NO_DATA;
}

export function cameraColour(status: LiveCamera['status'] | undefined): string {
  return status === undefined ? NO_DATA : (CAMERA_STATUS[status] ?? NO_DATA);
}

/** A KPI tile's colour by its standing against the target; grey when it has no target or status. */
export function kpiStatusColour(status: LiveKpi['current']['status']): string {
  return status === undefined ? NO_DATA : (KPI_STATUS[status] ?? NO_DATA);
}

/** Every scale, for the legend. */
export const SCALES = {
  congestion: CONGESTION,
  severity: SEVERITY,
  camera: CAMERA_STATUS,
  kpi: KPI_STATUS,
} as const;
