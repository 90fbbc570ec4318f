import { outboxChannel } from './outbox-channel';

describe(outboxChannel.name, () => {
  it('is readable for ordinary schema names', () => {
    expect(outboxChannel('reports')).toBe('ioc_outbox_reports');
  });

  it('stays within the 63 bytes Postgres allows, distinct per schema, for long names', () => {
    const long = (last: string) => `${'s'.repeat(62)}${last}`;
    const [a, b] = [outboxChannel(long('a')), outboxChannel(long('b'))];

    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
    expect(outboxChannel(long('a'))).toBe(a);
  });
});
