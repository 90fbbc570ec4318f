import { CONGESTION_LEVELS, type CongestionLevel } from '@ioc/contracts';

/** Ratios of speed to free-flow speed below which a segment is slow, congested, jammed. */
export interface CongestionThresholds {
  slow: number;
  congested: number;
  jammed: number;
  /** A level is left for a better one only once the ratio is this much above its threshold. */
  hysteresis: number;
}

const rank = (level: CongestionLevel): number => CONGESTION_LEVELS.indexOf(level);

function levelAt(ratio: number, t: CongestionThresholds): CongestionLevel {
  if (ratio < t.jammed) return 'jammed';
  if (ratio < t.congested) return 'congested';
  if (ratio < t.slow) return 'slow';
  return 'free';
}

/**
 * The congestion level after an observation (from speed against free-flow speed, with hysteresis
 * so that a level does not flap). Worsening takes effect at the threshold; improving needs the ratio to
 * clear the threshold by the hysteresis margin, so a speed hovering at a boundary keeps its level.
 */
export function nextCongestionLevel(
  current: CongestionLevel | null,
  speedKmh: number,
  freeFlowKmh: number,
  t: CongestionThresholds,
): CongestionLevel {
  const ratio = speedKmh / freeFlowKmh;
  const plain = levelAt(ratio, t);
  if (current === null || rank(plain) >= rank(current)) return plain;
  const damped = levelAt(ratio - t.hysteresis, t);
  return rank(damped) < rank(current) ? damped : current;
}
