import { DEFAULT_SEVERITY_RULES } from '../config';
import { SeverityRules } from './severity';

// 15:00 UTC is 22:00 in Asia/Ho_Chi_Minh (UTC+7).
const DAY = new Date('2026-05-01T03:00:00Z');
const NIGHT = new Date('2026-05-01T15:00:00Z');

describe(SeverityRules.name, () => {
  const sut = new SeverityRules(DEFAULT_SEVERITY_RULES, 'Asia/Ho_Chi_Minh');

  it.each([
    ['accident', 0.9, 5, DAY, 'critical'],
    ['accident', 0.7, 5, DAY, 'high'],
    ['accident', 0.9, 4, DAY, 'high'],
    ['congestion', 0.9, 20, DAY, 'high'],
    ['congestion', 0.9, 1, NIGHT, 'medium'],
    ['illegal-parking', 0.9, 1, DAY, 'low'],
  ] as const)('rates %s (confidence %d, count %d) as expected', (cls, confidence, count, at, expected) => {
    expect(sut.severityOf({ class: cls, peakConfidence: confidence, count, at })).toBe(expected);
  });

  it('matches hours in the city’s zone, wrapping past midnight', () => {
    const rules = new SeverityRules(
      [{ severity: 'high', hours: [22, 6] }, { severity: 'low' }],
      'Asia/Ho_Chi_Minh',
    );

    expect(rules.severityOf({ class: 'crowd', peakConfidence: 1, count: 1, at: NIGHT })).toBe('high');
    expect(rules.severityOf({ class: 'crowd', peakConfidence: 1, count: 1, at: DAY })).toBe('low');
  });

  it('falls back to medium when no rule matches', () => {
    const rules = new SeverityRules([{ severity: 'critical', classes: ['fire-smoke'] }], 'UTC');

    expect(rules.severityOf({ class: 'crowd', peakConfidence: null, count: 1, at: DAY })).toBe('medium');
  });
});
