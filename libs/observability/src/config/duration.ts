const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/**
 * Parses a duration such as `500ms`, `30s`, `5m`, `1.5h`, `7d` (or a bare number of milliseconds)
 * into milliseconds. Returns `undefined` for anything else, so callers decide how to report it.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const match = DURATION.exec(trimmed);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

/**
 * Writes milliseconds as the largest whole unit that `parseDuration` reads back (`86400000` → `1d`,
 * `90000` → `90s`); bare milliseconds when no unit divides it.
 */
export function formatDuration(ms: number): string {
  const units = Object.entries(UNIT_MS).sort(([, a], [, b]) => b - a);
  const unit = units.find(([, size]) => ms > 0 && Number.isInteger(ms) && ms % size === 0);
  return unit ? `${ms / unit[1]}${unit[0]}` : String(ms);
}
