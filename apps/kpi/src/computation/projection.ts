import type { KpiDirection, KpiStatus } from '@ioc/contracts';

/** How a value's period-end projection is formed: extrapolated (`additive`), blended with its recent level, or kept. */
export type ProjectionMode = 'additive' | 'level' | 'none';

/** Below this share of the period elapsed, or under this many samples, a trend says nothing: the value so far. */
export const MIN_ELAPSED_SHARE = 0.05;
export const MIN_SAMPLES = 5;

export interface ProjectionInput {
  mode: ProjectionMode;
  /** The value over the period so far. */
  value: number;
  sampleCount: number;
  /** Share of the period elapsed, 0 to 1 (1 when it has ended). */
  elapsedShare: number;
  /** The value over the recent part of the period (`level` mode), if known. */
  recent?: number;
}

export interface Projection {
  value: number;
  basis: 'trend' | 'so-far' | 'final';
  elapsedShare: number;
}

/**
 * Where a value is expected to stand at the end of its period (docs/architecture.md, "KPI service").
 * A count or a sum (`additive`) grows with time: the value so far scaled to the whole period. A share, a mean or
 * a percentile (`level`) moves towards its recent level: the elapsed part keeps the value so far and the rest
 * of the period is expected at the recent level, so a month at 55% on the 10th whose last week ran at 66% is
 * projected near 63%. A `latest` value (`none`) stays as it is.
 */
export function project(input: ProjectionInput): Projection {
  const elapsedShare = clamp(input.elapsedShare, 0, 1);
  if (elapsedShare >= 1) return { value: input.value, basis: 'final', elapsedShare: 1 };
  const thin = elapsedShare < MIN_ELAPSED_SHARE || input.sampleCount < MIN_SAMPLES;
  if (input.mode === 'none' || thin) return { value: input.value, basis: 'so-far', elapsedShare };
  if (input.mode === 'additive') return { value: input.value / elapsedShare, basis: 'trend', elapsedShare };
  if (input.recent === undefined) return { value: input.value, basis: 'so-far', elapsedShare };
  return {
    value: input.value * elapsedShare + input.recent * (1 - elapsedShare),
    basis: 'trend',
    elapsedShare,
  };
}

/** The at-risk band's default width when a target names no edge: 10% of the target. */
export const DEFAULT_AT_RISK_SHARE = 0.1;

/**
 * Standing of a projected value against a target: reaching the target is on track, reaching the at-risk edge
 * (default 10% short of the target) is at risk, anything else is off track.
 */
export function judge(
  direction: KpiDirection,
  projected: number,
  target: { value: number; atRisk?: number },
): KpiStatus {
  const edge =
    target.atRisk ??
    (direction === 'at-least'
      ? target.value - Math.abs(target.value) * DEFAULT_AT_RISK_SHARE
      : target.value + Math.abs(target.value) * DEFAULT_AT_RISK_SHARE);
  const reaches = (bound: number) => (direction === 'at-least' ? projected >= bound : projected <= bound);
  if (reaches(target.value)) return 'on-track';
  return reaches(edge) ? 'at-risk' : 'off-track';
}

/**
 * How far a value goes towards its target, 0 to 100: the share of the target reached (`at-least`), or the
 * target's share of the value (`at-most`: at or under the target scores 100). Composites average these.
 */
export function normalise(direction: KpiDirection, value: number, target: number): number {
  if (direction === 'at-least') {
    if (target <= 0) return value >= target ? 100 : 0;
    return clamp(value / target, 0, 1) * 100;
  }
  if (value <= target) return 100;
  if (value <= 0 || target <= 0) return 0;
  return clamp(target / value, 0, 1) * 100;
}

/**
 * A weighted composite of normalised inputs; inputs without a score (no value or no target this period) are
 * left out and the weights of the others renormalised.
 * @returns undefined when no input has a score
 */
export function composite(
  inputs: readonly { weight: number; score: number | undefined }[],
): number | undefined {
  let weights = 0;
  let sum = 0;
  for (const { weight, score } of inputs) {
    if (score === undefined || !Number.isFinite(score)) continue;
    weights += weight;
    sum += weight * score;
  }
  return weights === 0 ? undefined : sum / weights;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
