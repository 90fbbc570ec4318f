import { encodeKafkaMessage } from '@ioc/contracts';
import { aDetection } from '../../test/fixtures/events';
import { triageMessage } from './message-triage';

describe(triageMessage.name, () => {
  const limit = 1024;
  const valid = aDetection('cam-1', { id: 'evt-1' });
  const binary = encodeKafkaMessage(valid, 'binary');

  function message(value: Buffer | null, headers: Record<string, string> = binary.headers) {
    return { key: Buffer.from('cam-1'), value, headers };
  }

  it('accepts a valid event in binary mode', () => {
    const sut = triageMessage(message(binary.value), limit);
    expect(sut).toMatchObject({ kind: 'event', event: { id: 'evt-1', type: valid.type, data: valid.data } });
  });

  it('accepts a valid event in structured mode', () => {
    const structured = encodeKafkaMessage(valid, 'structured');
    const sut = triageMessage(message(structured.value, structured.headers), limit);
    expect(sut).toMatchObject({ kind: 'event', event: { id: 'evt-1' } });
  });

  it.each([
    ['an oversized payload, without parsing it', Buffer.alloc(limit + 1, '{'), 'payload.too_large'],
    ['an empty payload', Buffer.alloc(0), 'payload.empty'],
    ['a null payload (tombstone)', null, 'payload.empty'],
    ['a payload that is not JSON', Buffer.from('Nguyen Van A, 0912345678'), 'payload.not_json'],
  ])('rejects %s as undecodable, with no event id', (_case, value, reason) => {
    const sut = triageMessage(message(value), limit);
    expect(sut).toEqual(expect.objectContaining({ kind: 'undecodable', reason }));
    expect(sut).not.toHaveProperty('eventId');
  });

  it('rejects a record without CloudEvents attributes as undecodable', () => {
    const sut = triageMessage(message(binary.value, { 'content-type': 'application/json' }), limit);
    expect(sut).toMatchObject({ kind: 'undecodable', reason: 'envelope.invalid' });
  });

  it('rejects data that fails its schema as invalid, keeping the id for the inbox', () => {
    const bad = Buffer.from(JSON.stringify({ ...valid.data, confidence: 7 }));
    const sut = triageMessage(message(bad), limit);
    expect(sut).toMatchObject({ kind: 'invalid', reason: 'schema.invalid', eventId: 'evt-1' });
  });

  it('rejects an event type outside the contract as invalid', () => {
    const sut = triageMessage(message(binary.value, { ...binary.headers, ce_type: 'ioc.unknown.v9' }), limit);
    expect(sut).toMatchObject({ kind: 'invalid', reason: 'type.unknown', eventId: 'evt-1' });
  });
});
