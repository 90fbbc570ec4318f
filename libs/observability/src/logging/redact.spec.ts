import { EventEmitter } from 'node:events';
import { runInNewContext } from 'node:vm';
import { isSensitiveKey, redact, REDACTED, redactHeaders, redactUrl } from './redact';

describe(redact.name, () => {
  it('redacts personal data and secrets at any depth of objects and arrays', () => {
    const entry = {
      reportId: 'R-1',
      category: 'lighting',
      reporter: { name: 'Nguyễn Văn A', phone: '0912345678' },
      submissions: [
        { fullName: 'Trần Thị B', phone_number: '0987654321', description: 'streetlight out' },
        [{ contactPhone: '0900000000', email: 'b@example.vn' }],
      ],
      headers: {
        authorization: 'Bearer eyJ',
        cookie: 'sid=1',
        'x-api-key': 'ioc_x',
        accept: 'application/json',
      },
      integrator: { api_key: 'k', clientSecret: 's', password: 'p', accessToken: 't' },
    };

    const sut = redact(entry);

    expect(sut).toEqual({
      reportId: 'R-1',
      category: 'lighting',
      reporter: REDACTED,
      submissions: [
        { fullName: REDACTED, phone_number: REDACTED, description: 'streetlight out' },
        [{ contactPhone: REDACTED, email: REDACTED }],
      ],
      headers: {
        authorization: REDACTED,
        cookie: REDACTED,
        'x-api-key': REDACTED,
        accept: 'application/json',
      },
      integrator: { api_key: REDACTED, clientSecret: REDACTED, password: REDACTED, accessToken: REDACTED },
    });
  });

  it('never mutates its input', () => {
    const entry = { body: { name: 'Lê C', items: [{ phone: '1' }] } };

    redact(entry);

    expect(entry).toEqual({ body: { name: 'Lê C', items: [{ phone: '1' }] } });
  });

  it('returns the very same objects when nothing is sensitive', () => {
    const inner = { topic: 'ioc.reports.events', partition: 3 };
    const entry = { msg: 'consumed', batch: [inner], count: 1 };

    const sut = redact(entry);

    expect(sut).toBe(entry);
    expect(sut.batch[0]).toBe(inner);
  });

  it('copies only the branch holding a sensitive key', () => {
    const untouched = { offset: '42' };
    const entry = { kafka: untouched, payload: { reporterName: 'Phạm D' } };

    const sut = redact(entry);

    expect(sut.kafka).toBe(untouched);
    expect(sut.payload).toEqual({ reporterName: REDACTED });
  });

  it('survives cycles and leaves class instances to serializers', () => {
    const cyclic: Record<string, unknown> = { phone: '0912' };
    cyclic.self = cyclic;
    const error = Object.assign(new Error('boom'), { name: 'Error' });
    const when = new Date(0);

    const sut = redact({ cyclic, error, when, value: 1 });

    expect(sut.cyclic).toMatchObject({ phone: REDACTED });
    expect(sut.error).toBe(error);
    expect(sut.when).toBe(when);
  });

  it('looks inside DTO instances and objects from another realm', () => {
    class ReporterDto {
      constructor(
        readonly name: string,
        readonly district: string,
      ) {}
    }
    const foreign = runInNewContext('({ authorization: "Bearer x", accept: "*/*" })') as object;

    const sut = redact({ dto: new ReporterDto('Võ E', 'Ngô Quyền'), headers: foreign });

    expect(sut).toEqual({
      dto: { name: REDACTED, district: 'Ngô Quyền' },
      headers: { authorization: REDACTED, accept: '*/*' },
    });
  });

  it('leaves emitters and objects with their own JSON form alone', () => {
    const emitter = Object.assign(new EventEmitter(), { phone: '0912' });
    const jsonable = { phone: '0912', toJSON: () => 'opaque' };

    const sut = redact({ emitter, jsonable });

    expect(sut.emitter).toBe(emitter);
    expect(sut.jsonable).toBe(jsonable);
  });

  it.each([null, undefined, 0, 'name', true])('passes %j through', (value) => {
    expect(redact(value)).toBe(value);
  });
});

describe(isSensitiveKey.name, () => {
  it.each([
    'name',
    'Name',
    'full_name',
    'reporter-name',
    'phone',
    'mobile',
    'homePhone',
    'EMAIL',
    'Set-Cookie',
    'idToken',
    'Idempotency-Key',
    'idempotency_key',
    'x-api-key',
    'api_key',
    'clientCredentials',
    'X-Hub-Signature',
  ])('%j is sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'topicName',
    'hostname',
    'service',
    'categoryCode',
    'tokenCount',
    'address',
    'agencyId',
    'key',
    'partitionKey',
  ])('%j is not', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });
});

describe(redactHeaders.name, () => {
  it('keeps the values of allow-listed headers and redacts every other value, known or not', () => {
    const headers = {
      accept: 'application/json',
      'content-type': 'application/json',
      'user-agent': 'citizen-app/3.1',
      'x-correlation-id': 'c-1',
      authorization: 'Bearer eyJ',
      cookie: 'sid=1',
      'idempotency-key': '6f1c0d1e',
      'x-api-key': 'ioc_1_x',
      'x-some-future-auth': 'opaque',
      'content-length': undefined,
    };

    expect(redactHeaders(headers)).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      'user-agent': 'citizen-app/3.1',
      'x-correlation-id': 'c-1',
      authorization: REDACTED,
      cookie: REDACTED,
      'idempotency-key': REDACTED,
      'x-api-key': REDACTED,
      'x-some-future-auth': REDACTED,
      'content-length': undefined,
    });
    expect(headers['idempotency-key']).toBe('6f1c0d1e');
  });

  it('matches header names whatever their case, and reads headers from another realm', () => {
    const foreign = runInNewContext('({ "Set-Cookie": ["a=1"], "Content-Type": "text/plain" })') as object;

    expect(redactHeaders(foreign)).toEqual({ 'Set-Cookie': REDACTED, 'Content-Type': 'text/plain' });
  });

  it.each([undefined, null, 'raw'])('passes %j through', (value) => {
    expect(redactHeaders(value)).toBe(value);
  });
});

describe(redactUrl.name, () => {
  it.each([
    ['/open311/v2/requests.json', '/open311/v2/requests.json'],
    ['/requests?api_key=ioc_1_x&service_code=7', '/requests?api_key=%5BREDACTED%5D&service_code=7'],
    ['/r?phone=0912&first_name=An&flag', '/r?phone=%5BREDACTED%5D&first_name=%5BREDACTED%5D&flag'],
    ['/r?%ZZ=1&email=a%40b', '/r?%ZZ=1&email=%5BREDACTED%5D'],
    ['/r?idempotency_key=k1&apiKey=k2', '/r?idempotency_key=%5BREDACTED%5D&apiKey=%5BREDACTED%5D'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
