import { kpiSubject, kpiUpdateSubject, submissionSubject } from './subjects';

describe(submissionSubject.name, () => {
  it('keys a submission by its channel and the id it has there', () => {
    expect(submissionSubject('zalo', 'Z-991')).toBe('zalo:Z-991');
  });
});

describe(kpiSubject.name, () => {
  it('keys a KPI value by KPI, dimension kind and dimension code', () => {
    expect(kpiSubject('reports.on-time', { kind: 'unit', code: 'ward-3' })).toBe(
      'reports.on-time:unit:ward-3',
    );
  });

  it('keeps the same KPI apart across dimensions, so compaction keeps each one', () => {
    expect(kpiSubject('k', { kind: 'agency', code: 'a' })).not.toBe(
      kpiSubject('k', { kind: 'category', code: 'a' }),
    );
  });
});

describe(kpiUpdateSubject.name, () => {
  it('keys a KPI update by KPI, dimension and period bucket, so compaction keeps one value per bucket', () => {
    const dimension = { kind: 'city', code: 'HP' } as const;
    expect(kpiUpdateSubject('report-on-time-share', dimension, 'month', '2026-10-31T17:00:00.000Z')).toBe(
      'report-on-time-share:city:HP:month:2026-10-31T17:00:00.000Z',
    );
    expect(kpiUpdateSubject('k', dimension, 'day', '2026-10-31T17:00:00.000Z')).not.toBe(
      kpiUpdateSubject('k', dimension, 'month', '2026-10-31T17:00:00.000Z'),
    );
  });
});
