import {
  DEFAULT_LOCALE,
  formatKpiValue,
  formatTime,
  isLocale,
  kpiStatusKey,
  label,
  nameIn,
  otherLocale,
  translate,
} from './i18n';

describe('i18n', () => {
  it('speaks Vietnamese by default, English one switch away and back', () => {
    expect(DEFAULT_LOCALE).toBe('vi');
    expect(otherLocale('vi')).toBe('en');
    expect(otherLocale(otherLocale('vi'))).toBe('vi');
    expect(translate('vi', 'conn.live')).toBe('Trực tuyến');
    expect(translate('en', 'conn.live')).toBe('Live');
  });

  it('fills placeholders and leaves unknown ones as written', () => {
    expect(translate('en', 'kpi.target', { value: '90%' })).toBe('Target 90%');
    expect(translate('en', 'kpi.target')).toBe('Target {value}');
    expect(translate('en', 'item.report', { code: '$&' })).toBe('Report $&');
  });

  it('labels every enum value in both languages, and passes an unknown one through', () => {
    expect(label('vi', 'severity', 'critical')).toBe('Nghiêm trọng');
    expect(label('en', 'level', 'jammed')).toBe('Jammed');
    expect(label('en', 'class', 'wrong-way')).toBe('Wrong way');
    expect(label('en', 'status', 'in-progress')).toBe('In progress');
    expect(label('en', 'status', 'brand-new' as never)).toBe('brand-new');
  });

  it('accepts only the two locales', () => {
    expect(isLocale('vi')).toBe(true);
    expect(isLocale('fr')).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });

  it('names reference data in the chosen language, falling back to Vietnamese, then the code', () => {
    expect(nameIn('en', { vi: 'Phường', en: 'Ward' }, 'W')).toBe('Ward');
    expect(nameIn('en', { vi: 'Phường', en: '' }, 'W')).toBe('Phường');
    expect(nameIn('en', undefined, 'W')).toBe('W');
  });

  it('formats KPI values with their unit in the locale', () => {
    expect(formatKpiValue('en', 85.25, '%')).toBe('85.3%');
    expect(formatKpiValue('vi', 85.25, 'percent')).toBe('85,3%');
    expect(formatKpiValue('en', 5, 'rank')).toBe('#5');
    expect(formatKpiValue('en', 1234, 'count')).toBe('1,234');
    expect(formatKpiValue('vi', 2.5, 'hours')).toBe('2,5 giờ');
  });

  it('formats times in the city zone, and an absent or broken time as a dash', () => {
    expect(formatTime('en', '2025-09-01T17:30:00Z', 'Asia/Ho_Chi_Minh')).toContain('00:30:00');
    expect(formatTime('en', undefined, 'Asia/Ho_Chi_Minh')).toBe('—');
    expect(formatTime('en', 'not a date', 'Asia/Ho_Chi_Minh')).toBe('—');
  });

  it('names KPI standing, "not judged" without a target', () => {
    expect(translate('en', kpiStatusKey('off-track'))).toBe('Off track');
    expect(translate('vi', kpiStatusKey(undefined))).toBe('Chưa đánh giá');
  });
});
