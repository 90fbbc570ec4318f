import { buildDeadLetterRecord, DlqHeaders, sanitizeDetail, type DeadLetter } from './dead-letter.message';

const at = new Date('2026-03-01T02:03:04.000Z');

function aLetter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    consumer: 'intake-detections',
    topic: 'ioc.camera.detections',
    partition: 7,
    offset: '12345',
    message: {
      key: Buffer.from('cam-0042'),
      value: Buffer.from('{"cameraId":"cam-0042"}'),
      headers: { ce_id: Buffer.from('e-1'), 'content-type': Buffer.from('application/json') },
    },
    reason: 'schema.invalid',
    detail: '/class must be equal to one of the allowed values',
    ...overrides,
  };
}

describe(buildDeadLetterRecord.name, () => {
  it('keeps the original key, value and headers and adds reason, consumer, source and time', () => {
    const letter = aLetter();

    const sut = buildDeadLetterRecord(letter, { dlqTopic: 'ioc.dlq', at, maxRecordBytes: 1_000_000 });

    expect(sut.topic).toBe('ioc.dlq');
    expect(sut.key).toBe(letter.message.key);
    expect(sut.value).toBe(letter.message.value);
    expect(sut.headers).toEqual({
      ce_id: Buffer.from('e-1'),
      'content-type': Buffer.from('application/json'),
      [DlqHeaders.reason]: 'schema.invalid',
      [DlqHeaders.detail]: '/class must be equal to one of the allowed values',
      [DlqHeaders.consumer]: 'intake-detections',
      [DlqHeaders.sourceTopic]: 'ioc.camera.detections',
      [DlqHeaders.sourcePartition]: '7',
      [DlqHeaders.sourceOffset]: '12345',
      [DlqHeaders.at]: '2026-03-01T02:03:04.000Z',
    });
  });

  it('replaces ioc-dlq-* headers left by an earlier trip through the DLQ', () => {
    const letter = aLetter({
      message: {
        key: null,
        value: null,
        headers: { 'ioc-dlq-reason': 'payload.empty', 'ioc-dlq-truncated': 'value' },
      },
    });

    const sut = buildDeadLetterRecord(letter, { dlqTopic: 'ioc.dlq', at, maxRecordBytes: 1_000_000 });

    expect(sut.headers[DlqHeaders.reason]).toBe('schema.invalid');
    expect(sut.headers).not.toHaveProperty(DlqHeaders.truncated);
  });

  it('keeps an oversized value intact while the record still fits the limit', () => {
    const value = Buffer.alloc(50_000, 'x');
    const sut = buildDeadLetterRecord(
      aLetter({ reason: 'payload.too_large', message: { key: null, value } }),
      {
        dlqTopic: 'ioc.dlq',
        at,
        maxRecordBytes: 60_000,
      },
    );

    expect(sut.value).toBe(value);
    expect(sut.headers).not.toHaveProperty(DlqHeaders.truncated);
  });

  it('cuts the value to fit the limit and says so', () => {
    const value = Buffer.alloc(70_000, 'x');
    const sut = buildDeadLetterRecord(
      aLetter({
        reason: 'payload.too_large',
        message: { key: Buffer.from('k'), value, headers: { a: 'b' } },
      }),
      { dlqTopic: 'ioc.dlq', at, maxRecordBytes: 60_000 },
    );

    expect(sut.value?.length).toBeLessThan(60_000);
    expect(sut.value?.length).toBeGreaterThan(58_000);
    expect(value.subarray(0, sut.value?.length).equals(sut.value as Buffer)).toBe(true);
    expect(sut.headers).toMatchObject({
      a: 'b',
      [DlqHeaders.truncated]: 'value',
      [DlqHeaders.originalValueBytes]: '70000',
    });
    expect(recordBytes(sut)).toBeLessThanOrEqual(60_000);
  });

  it('drops hostile headers and cuts a hostile key when they alone exceed the limit', () => {
    const message = {
      key: Buffer.alloc(20_000, 'k'),
      value: Buffer.from('{}'),
      headers: { junk: Buffer.alloc(50_000, 'h') },
    };
    const sut = buildDeadLetterRecord(aLetter({ message }), {
      dlqTopic: 'ioc.dlq',
      at,
      maxRecordBytes: 10_000,
    });

    expect(sut.headers).not.toHaveProperty('junk');
    expect(sut.headers[DlqHeaders.truncated]).toBe('value+headers+key');
    expect(recordBytes(sut)).toBeLessThanOrEqual(10_000);
  });
});

describe(sanitizeDetail.name, () => {
  it.each([
    [
      'quoted input',
      `Unexpected token 'N', "Nguyen Van A" is not valid JSON`,
      'Unexpected token …, … is not valid JSON',
    ],
    ['a phone number', 'reporter phone 0912 345 678 rejected', 'reporter phone # rejected'],
    ['an international phone number', 'call +84-912-345-678', 'call #'],
    ['an e-mail address', 'contact an.nguyen@example.vn failed', 'contact …@… failed'],
    ['line breaks', 'a\n\nb', 'a b'],
  ])('removes %s', (_case, input, expected) => {
    expect(sanitizeDetail(input)).toBe(expected);
  });

  it('keeps sizes and dates readable', () => {
    expect(sanitizeDetail('value is 2097152 bytes, limit 1048576, at 2026-03-01')).toBe(
      'value is 2097152 bytes, limit 1048576, at 2026-03-01',
    );
  });

  it('keeps JSON paths and rule names', () => {
    expect(
      sanitizeDetail('/confidence must be <= 1; /class must be equal to one of the allowed values'),
    ).toBe('/confidence must be <= 1; /class must be equal to one of the allowed values');
  });

  it('bounds the length', () => {
    expect(sanitizeDetail('word '.repeat(100))).toHaveLength(200);
  });
});

function recordBytes(record: { key: Buffer | string | null; value: Buffer | null; headers: object }): number {
  const headers = Object.entries(record.headers).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value as Buffer | string),
    0,
  );
  // The builder reserves 512 bytes for Kafka's record framing.
  return 512 + (record.key?.length ?? 0) + (record.value?.length ?? 0) + headers;
}
