import { CloudEvent, Kafka } from 'cloudevents';

import { eventSamples } from '../../test/event-samples';
import { InvalidEventError } from '../errors/contract.errors';
import { EventTypes } from '../events/event-types';
import { createEvent, type IocEvent } from './ioc-event';
import {
  decodeKafkaMessage,
  DecodeFailureReasons,
  encodeKafkaMessage,
  type IncomingKafkaMessage,
} from './kafka-codec';

const report = createEvent(EventTypes.reportResolved, {
  source: '/ioc/reports',
  subject: eventSamples[EventTypes.reportResolved].reportId,
  data: eventSamples[EventTypes.reportResolved],
  correlationid: 'req-42',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
});

const SECRET = 'Nguyen Van Secret 0912345678';

// A record as kafkajs hands it to a consumer: every header and the value as Buffers.
function asReceived(message: {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}): IncomingKafkaMessage {
  return {
    key: Buffer.from(message.key),
    value: message.value,
    headers: Object.fromEntries(
      Object.entries(message.headers).map(([name, value]) => [name, Buffer.from(value)]),
    ),
  };
}

function binary(
  headers: Record<string, string | undefined>,
  value: unknown = { a: 1 },
): IncomingKafkaMessage {
  const base: Record<string, string | undefined> = {
    'content-type': 'application/json',
    ce_specversion: '1.0',
    ce_id: 'evt-1',
    ce_source: '/integrator/cameras',
    ce_type: EventTypes.cameraDetection,
    ce_subject: 'cam-0042',
    ce_time: '2025-03-01T02:00:00Z',
  };
  return {
    key: 'cam-0042',
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    headers: { ...base, ...headers },
  };
}

function structured(
  event: Record<string, unknown>,
  contentType = 'application/cloudevents+json',
): IncomingKafkaMessage {
  const base = {
    specversion: '1.0',
    id: 'evt-1',
    source: '/integrator/cameras',
    type: EventTypes.cameraDetection,
    subject: 'cam-0042',
    time: '2025-03-01T02:00:00Z',
    datacontenttype: 'application/json',
    data: { a: 1 },
  };
  return {
    key: null,
    value: JSON.stringify({ ...base, ...event }),
    headers: { 'content-type': contentType },
  };
}

describe(encodeKafkaMessage.name, () => {
  it('writes binary mode by default: ce_ headers, content-type, the data as JSON and the subject as key', () => {
    const sut = encodeKafkaMessage(report);

    expect(sut.key).toBe(report.subject);
    expect(JSON.parse(sut.value.toString('utf8'))).toEqual(report.data);
    expect(sut.headers).toEqual({
      'content-type': 'application/json',
      ce_specversion: '1.0',
      ce_id: report.id,
      ce_source: '/ioc/reports',
      ce_type: 'ioc.report.resolved.v1',
      ce_subject: report.subject,
      ce_time: report.time,
      ce_dataschema: report.dataschema,
      ce_correlationid: 'req-42',
      ce_traceparent: report.traceparent,
    });
  });

  it.each(Object.entries(eventSamples))(
    'writes the same binary record as the CloudEvents SDK for %s, checked by createEvent or not',
    (type, data) => {
      const checked = createEvent(type as typeof EventTypes.reportResolved, {
        ...report,
        data: data as typeof report.data,
      });
      const unchecked = { ...checked };
      const sdk = Kafka.binary(new CloudEvent<unknown>({ ...unchecked }, false));
      const sdkHeaders = Object.fromEntries(
        Object.entries(sdk.headers).filter(
          ([name, value]) => value !== undefined && name !== 'ce_datacontenttype',
        ),
      );

      for (const sut of [encodeKafkaMessage(unchecked), encodeKafkaMessage(checked)]) {
        expect(sut.headers).toEqual(sdkHeaders);
        expect(sut.value.toString('utf8')).toBe(JSON.stringify(sdk.value));
        expect(sut.key).toBe(checked.subject);
      }
    },
  );

  it('writes structured mode as the whole event in the value', () => {
    const sut = encodeKafkaMessage(report, 'structured');

    expect(sut.key).toBe(report.subject);
    expect(sut.headers).toEqual({ 'content-type': 'application/cloudevents+json; charset=utf-8' });
    expect(JSON.parse(sut.value.toString('utf8'))).toEqual(report);
  });

  it('refuses an event whose attributes break the contract, without quoting them', () => {
    const broken = { ...report, subject: SECRET } as IocEvent;

    expect(() => encodeKafkaMessage(broken)).toThrow(InvalidEventError);
    expect(() => encodeKafkaMessage(broken)).not.toThrow(/0912345678/);
  });
});

describe(decodeKafkaMessage.name, () => {
  it.each(['binary', 'structured'] as const)(
    'round-trips an event in %s mode, headers as Buffers',
    (mode) => {
      const result = decodeKafkaMessage(asReceived(encodeKafkaMessage(report, mode)));

      expect(result).toEqual({ ok: true, mode, event: report });
    },
  );

  it.each(Object.entries(eventSamples))('round-trips %s', (type, data) => {
    const event = { ...report, type, data };

    expect(decodeKafkaMessage(encodeKafkaMessage(event))).toEqual({ ok: true, mode: 'binary', event });
  });

  it('reads string headers and a string value too', () => {
    expect(decodeKafkaMessage(encodeKafkaMessage(report))).toMatchObject({ ok: true, event: report });
  });

  it('reads a header repeated with the same value, as kafkajs delivers it in an array', () => {
    const message = binary({});
    message.headers = { ...message.headers, ce_id: [Buffer.from('evt-1'), 'evt-1'] };

    expect(decodeKafkaMessage(message)).toMatchObject({ ok: true, event: { id: 'evt-1' } });
  });

  it('refuses a header repeated with different values rather than guess', () => {
    const message = binary({});
    message.headers = {
      ...message.headers,
      ce_type: [Buffer.from(EventTypes.cameraDetection), 'ioc.other.v1'],
    };

    expect(decodeKafkaMessage(message)).toMatchObject({
      ok: false,
      reason: DecodeFailureReasons.envelopeInvalid,
    });
  });

  it('reads header names in any case', () => {
    const message = binary({
      ce_id: undefined,
      'content-type': undefined,
      CE_ID: 'evt-9',
      'Content-Type': 'application/json',
    });

    expect(decodeKafkaMessage(message)).toMatchObject({ ok: true, event: { id: 'evt-9' } });
  });

  it('accepts JSON content types with parameters', () => {
    expect(decodeKafkaMessage(binary({ 'content-type': 'application/json; charset=utf-8' })).ok).toBe(true);
    expect(decodeKafkaMessage(structured({}, 'application/cloudevents+json; charset=UTF-8')).ok).toBe(true);
  });

  it('reads the time as UTC', () => {
    const result = decodeKafkaMessage(binary({ ce_time: '2025-03-01T09:00:00.5+07:00' }));

    expect(result).toMatchObject({ ok: true, event: { time: '2025-03-01T02:00:00.500Z' } });
  });

  it('defaults a structured event without datacontenttype to JSON, as the JSON event format says', () => {
    const result = decodeKafkaMessage(structured({ datacontenttype: undefined }));

    expect(result).toMatchObject({
      ok: true,
      mode: 'structured',
      event: { datacontenttype: 'application/json' },
    });
  });

  it('drops extension attributes the contract does not define', () => {
    const fromBinary = decodeKafkaMessage(binary({ ce_vendorext: 'x' }));
    const fromStructured = decodeKafkaMessage(structured({ vendorext: 'x' }));

    expect(fromBinary.ok && fromBinary.event).not.toHaveProperty('vendorext');
    expect(fromStructured.ok && fromStructured.event).not.toHaveProperty('vendorext');
  });

  it('leaves the data schema to validateEvent: an unknown type still decodes', () => {
    expect(decodeKafkaMessage(binary({ ce_type: 'com.example.other.v1' }))).toMatchObject({ ok: true });
  });

  it.each(['binary', 'structured'] as const)(
    'decodes what the CloudEvents SDK itself writes in %s mode',
    (mode) => {
      const sdkEvent = new CloudEvent({
        id: 'sdk-1',
        source: '/vendor/cameras',
        type: EventTypes.cameraHeartbeat,
        subject: 'cam-0042',
        datacontenttype: 'application/json',
        data: eventSamples[EventTypes.cameraHeartbeat],
      });
      const message = mode === 'binary' ? Kafka.binary(sdkEvent) : Kafka.structured(sdkEvent);
      const value = typeof message.value === 'string' ? message.value : JSON.stringify(message.value);
      const headers = Object.fromEntries(
        Object.entries(message.headers).flatMap(([name, header]) =>
          header === undefined ? [] : [[name, String(header)]],
        ),
      );

      const result = decodeKafkaMessage({ key: 'cam-0042', value, headers });

      expect(result).toMatchObject({
        ok: true,
        mode,
        event: { id: 'sdk-1', data: eventSamples[EventTypes.cameraHeartbeat] },
      });
    },
  );

  describe('refuses malformed records', () => {
    it.each([
      ['a null value', { key: null, value: null, headers: {} }, DecodeFailureReasons.payloadEmpty],
      ['an empty Buffer', { ...binary({}), value: Buffer.alloc(0) }, DecodeFailureReasons.payloadEmpty],
      ['an empty string', { ...binary({}), value: '' }, DecodeFailureReasons.payloadEmpty],
      ['a value that is not JSON', binary({}, '{"a":'), DecodeFailureReasons.payloadNotJson],
      ['whitespace only', binary({}, '   '), DecodeFailureReasons.payloadNotJson],
      ['binary data that is not an object', binary({}, [1, 2]), DecodeFailureReasons.envelopeInvalid],
      ['binary data that is a string', binary({}, '"text"'), DecodeFailureReasons.envelopeInvalid],
      ['no ce_id', binary({ ce_id: undefined }), DecodeFailureReasons.envelopeInvalid],
      ['no ce_type', binary({ ce_type: undefined }), DecodeFailureReasons.envelopeInvalid],
      ['no ce_source', binary({ ce_source: undefined }), DecodeFailureReasons.envelopeInvalid],
      ['no ce_specversion', binary({ ce_specversion: undefined }), DecodeFailureReasons.envelopeInvalid],
      ['no ce_subject', binary({ ce_subject: undefined }), DecodeFailureReasons.envelopeInvalid],
      ['no ce_time', binary({ ce_time: undefined }), DecodeFailureReasons.envelopeInvalid],
      ['specversion 0.3', binary({ ce_specversion: '0.3' }), DecodeFailureReasons.envelopeInvalid],
      [
        'a time that is not RFC 3339',
        binary({ ce_time: '01/03/2025 09:00' }),
        DecodeFailureReasons.envelopeInvalid,
      ],
      [
        'a leap second the clock cannot hold',
        binary({ ce_time: '2016-12-31T23:59:60Z' }),
        DecodeFailureReasons.envelopeInvalid,
      ],
      ['an oversized id', binary({ ce_id: 'x'.repeat(129) }), DecodeFailureReasons.envelopeInvalid],
      ['an oversized subject', binary({ ce_subject: 'x'.repeat(257) }), DecodeFailureReasons.envelopeInvalid],
      [
        'an oversized type',
        binary({ ce_type: `ioc.${'x'.repeat(200)}.v1` }),
        DecodeFailureReasons.envelopeInvalid,
      ],
      ['a malformed traceparent', binary({ ce_traceparent: 'abc' }), DecodeFailureReasons.envelopeInvalid],
      [
        'no content-type in binary mode',
        binary({ 'content-type': undefined }),
        DecodeFailureReasons.envelopeInvalid,
      ],
      ['text/plain data', binary({ 'content-type': 'text/plain' }), DecodeFailureReasons.envelopeInvalid],
      ['XML data', binary({ 'content-type': 'application/xml' }), DecodeFailureReasons.envelopeInvalid],
      [
        'a batch of events',
        structured({}, 'application/cloudevents-batch+json'),
        DecodeFailureReasons.envelopeInvalid,
      ],
      [
        'a non-JSON event format',
        structured({}, 'application/cloudevents+avro'),
        DecodeFailureReasons.envelopeInvalid,
      ],
      ['a structured array', { ...structured({}), value: '[]' }, DecodeFailureReasons.envelopeInvalid],
      ['structured without id', structured({ id: undefined }), DecodeFailureReasons.envelopeInvalid],
      [
        'structured without specversion',
        structured({ specversion: undefined }),
        DecodeFailureReasons.envelopeInvalid,
      ],
      [
        'structured specversion as a number',
        structured({ specversion: 1.0 }),
        DecodeFailureReasons.envelopeInvalid,
      ],
      ['structured id as a number', structured({ id: 42 }), DecodeFailureReasons.envelopeInvalid],
      [
        'structured data that is a string',
        structured({ data: 'text' }),
        DecodeFailureReasons.envelopeInvalid,
      ],
      ['structured data that is null', structured({ data: null }), DecodeFailureReasons.envelopeInvalid],
      [
        'structured base64 data',
        structured({ data: undefined, data_base64: 'e30=' }),
        DecodeFailureReasons.envelopeInvalid,
      ],
      [
        'structured XML data',
        structured({ datacontenttype: 'application/xml' }),
        DecodeFailureReasons.envelopeInvalid,
      ],
    ] as const)('%s', (_what, message, reason) => {
      expect(decodeKafkaMessage(message as IncomingKafkaMessage)).toEqual({
        ok: false,
        reason,
        detail: expect.any(String),
      });
    });
  });

  it('never quotes attribute values in the detail', () => {
    const result = decodeKafkaMessage(
      binary({ ce_subject: SECRET, ce_id: `${SECRET}`.repeat(10), ce_time: SECRET }),
    );

    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.detail).not.toMatch(/Nguyen|0912345678/);
  });

  it('takes no prototype property for an attribute', () => {
    const message = structured({});
    message.value =
      '{"__proto__":{"id":"polluted"},"specversion":"1.0","source":"/s","type":"t.v1","subject":"s",' +
      '"time":"2025-03-01T02:00:00Z","data":{}}';

    expect(decodeKafkaMessage(message)).toMatchObject({
      ok: false,
      reason: DecodeFailureReasons.envelopeInvalid,
    });
    expect(({} as Record<string, unknown>).id).toBeUndefined();
  });
});
