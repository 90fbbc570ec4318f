import type { CongestionLevel } from '@ioc/contracts';
import { type CongestionThresholds, nextCongestionLevel } from './congestion';

const t: CongestionThresholds = { slow: 0.7, congested: 0.45, jammed: 0.2, hysteresis: 0.05 };
const FREE_FLOW = 100;

describe(nextCongestionLevel.name, () => {
  it.each<[CongestionLevel | null, number, CongestionLevel]>([
    [null, 80, 'free'],
    [null, 60, 'slow'],
    [null, 30, 'congested'],
    [null, 10, 'jammed'],
    ['free', 69, 'slow'],
    ['free', 10, 'jammed'],
    ['slow', 71, 'slow'],
    ['slow', 74.9, 'slow'],
    ['slow', 75, 'free'],
    ['jammed', 21, 'jammed'],
    ['jammed', 25, 'congested'],
    ['jammed', 80, 'free'],
    ['congested', 49, 'congested'],
    ['congested', 19, 'jammed'],
  ])('from %s at %d km/h (free flow 100) gives %s', (current, speed, expected) => {
    expect(nextCongestionLevel(current, speed, FREE_FLOW, t)).toBe(expected);
  });

  it('does not flap when the speed hovers around a threshold', () => {
    let level: CongestionLevel | null = null;
    const levels: CongestionLevel[] = [];
    for (const speed of [72, 69, 71, 69.5, 72, 70.5, 73]) {
      level = nextCongestionLevel(level, speed, FREE_FLOW, t);
      levels.push(level);
    }

    expect(levels).toEqual(['free', 'slow', 'slow', 'slow', 'slow', 'slow', 'slow']);
  });
});
