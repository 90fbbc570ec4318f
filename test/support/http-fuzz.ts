import fc from 'fast-check';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

// Generated hostile HTTP input for the "no 5xx for anything a caller sent" specs of every service: the
// arbitraries, a client that sends exactly the bytes generated, and the assertion on the answer.

/** One request as it goes on the wire: the path is already percent-encoded, the body is raw bytes. */
export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** The answer to a {@link RawRequest}: the body as bytes, and parsed when it is JSON. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json?: unknown;
}

/** Where a server listens, listening it on a free loopback port first when it does not yet. */
export async function listeningUrl(server: http.Server): Promise<string> {
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * Sends `request` byte for byte: no header is added but `Content-Length` when the caller set none (so a
 * lying one goes out as it is), nothing is re-encoded. With `partial`, the body is written and the request
 * left open, as a client announcing more than it sends would. The answer resolves once read; an error on
 * the connection after the answer (the server closing a request it refused) is ignored.
 */
export function sendRaw(
  baseUrl: string,
  request: RawRequest,
  { partial = false }: { partial?: boolean } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const headers = { ...request.headers };
  const hasLength = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
  if (!hasLength && request.body !== undefined) headers['content-length'] = String(request.body.length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers,
        agent: false,
        setHost: true,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const isJson = /json/i.test(res.headers['content-type'] ?? '');
          let json: unknown;
          if (isJson && body.length > 0) {
            try {
              json = JSON.parse(body.toString('utf8'));
            } catch {
              json = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ...(isJson ? { json } : {}) });
          if (partial) req.destroy();
        });
      },
    );
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (request.body !== undefined) req.write(request.body);
    if (!partial) req.end();
  });
}

/** How a service answers an error: the IOC body everywhere, the GeoReport v2 array on the Open311 routes. */
export type ErrorShape = 'ioc' | 'open311';

/**
 * The rule of every HTTP edge: never a 5xx for what a caller sent, and every error in a documented shape
 * carrying a `code` (`{ statusCode, code, message, details?, correlationId }`, or on Open311 routes also the
 * spec's `[{ code, description }]`). Throws an error naming the request, so fast-check reports it.
 */
export function expectHandled(
  request: RawRequest,
  response: RawResponse,
  shapes: readonly ErrorShape[] = ['ioc'],
): void {
  const fail = (why: string) => {
    const body = response.body.subarray(0, 500).toString('utf8');
    throw new Error(
      `${request.method} ${request.path.slice(0, 300)} answered ${response.status}: ${why}\n${body}`,
    );
  };
  if (response.status >= 500) fail('a 5xx for input the caller sent');
  if (response.status < 400) return;
  const body = response.json;
  if (body === undefined) fail('an error without a JSON body');
  const ioc =
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    (body as Record<string, unknown>).statusCode === response.status &&
    typeof (body as Record<string, unknown>).code === 'string' &&
    ((body as Record<string, unknown>).code as string).length > 0 &&
    typeof (body as Record<string, unknown>).message === 'string' &&
    typeof (body as Record<string, unknown>).correlationId === 'string';
  const open311 =
    Array.isArray(body) &&
    body.length > 0 &&
    body.every(
      (item: unknown) =>
        typeof item === 'object' &&
        item !== null &&
        (item as Record<string, unknown>).code === response.status &&
        typeof (item as Record<string, unknown>).description === 'string',
    );
  if (!(shapes.includes('ioc') && ioc) && !(shapes.includes('open311') && open311)) {
    fail(`an error body outside the shapes ${shapes.join(', ')}`);
  }
}

// Characters and strings that broke services before, or could: what a PostgreSQL text column refuses,
// what JSON and URLs escape, direction overrides, a BOM, joiners, astral and combining characters.
const EDGE_CHARACTERS = [
  '\u0000',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '\uFEFF',
  '\uFFFD',
  '\uFFFE',
  '\uFFFF',
  '\u202E',
  '\u200D',
  '\u0301',
  '\u2028',
  '\u001B',
  '\u007F',
  '\r',
  '\n',
  '\t',
  '"',
  "'",
  '\\',
  '%',
  '/',
  '?',
  '#',
  '&',
  '=',
  '+',
  ';',
  '<',
  '>',
  '𝕏',
  '😀',
  'ễ',
  'Ω',
];

const HOSTILE_STRINGS = [
  '',
  ' ',
  'null',
  'undefined',
  '0x14',
  '-0',
  '1e309',
  'NaN',
  'Infinity',
  '%00',
  '%',
  '%ZZ',
  '../../etc/passwd',
  "' OR '1'='1",
  "'); DROP TABLE reports; --",
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'Nguyễn Thị Hoa 0912345678',
  '00000000-0000-0000-0000-000000000000',
  'a\u0000b',
  'x'.repeat(5000),
];

/** One character: anything Unicode has, lone surrogates and the edge characters above included. */
const hostileCharacter: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_CHARACTERS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
);

/** Text a caller could send: known hostile strings, and strings of hostile characters. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 5, arbitrary: fc.string({ unit: hostileCharacter, maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(hostileCharacter, fc.integer({ min: 100, max: 20_000 })).map(([c, n]) => c.repeat(n)),
  },
);

/** Property names: the prototype's, hostile strings, and plain ones a DTO might know. */
const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'hasOwnProperty',
    'toString',
    'description',
    'location',
    'lat',
    'lon',
    'text',
    'reason',
    'kind',
    'secret',
    'data',
    'id',
    'type',
  ),
  hostileString,
);

/** JSON values with hostile strings, keys and numbers, a few levels deep. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.double(),
    fc.integer(),
    fc.constantFrom(null, true, false, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** A DTO-like object: mostly known property names, with hostile values. */
const hostileObject: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(hostileKey, hostileJsonValue, {
  minKeys: 1,
  maxKeys: 8,
});

/** JSON text nested `depth` levels: arrays (`[[[…]]]`), objects or a mix. */
function deepJson(depth: number, kind: 'array' | 'object' | 'mixed'): string {
  const open = kind === 'array' ? '[' : kind === 'object' ? '{"a":' : '[{"a":';
  const close = kind === 'array' ? ']' : kind === 'object' ? '}' : '}]';
  const levels = kind === 'mixed' ? Math.ceil(depth / 2) : depth;
  return open.repeat(levels) + '1' + close.repeat(levels);
}

/** A request body with its Content-Type. */
export interface HostileBody {
  contentType?: string;
  body: Buffer;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');

/** Bytes percent-encoded one by one, so any byte (NUL, invalid UTF-8) reaches the server's decoder. */
export function percentEncodedBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) =>
    /[A-Za-z0-9._~-]/.test(String.fromCharCode(b))
      ? String.fromCharCode(b)
      : `%${b.toString(16).padStart(2, '0')}`,
  ).join('');
}

/** A string's UTF-16 code units as UTF-8-ish bytes, lone surrogates kept (as the CESU bytes ED A0 80 …). */
function wtf8(text: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    let code = unit;
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      code = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
      i++;
    }
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 63),
        0x80 | ((code >> 6) & 63),
        0x80 | (code & 63),
      );
  }
  return Uint8Array.from(bytes);
}

/** A URL component (path segment, query key or value) spelling a hostile string or arbitrary bytes. */
export const hostileUrlComponent: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileString.map((s) => percentEncodedBytes(wtf8(s))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 24 }).map(percentEncodedBytes) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4', '%ED%A0%80', '%00', '%C0%AF', '..', '.') },
);

const FORM = 'application/x-www-form-urlencoded';

/**
 * Request bodies a caller could send: hostile JSON objects, deep nesting (up to 20,000 levels), invalid
 * UTF-8, truncated JSON, forms with arbitrary bytes, odd charsets and media types, and nothing at all.
 * `valid` bodies of the endpoint under test, when given, are mutated too (a hostile value per field).
 */
export function hostileBody(valid: readonly Record<string, unknown>[] = []): fc.Arbitrary<HostileBody> {
  const jsonTypes = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16le',
    'application/json; charset=latin1',
    'application/cloudevents+json',
    'application/cloudevents-batch+json',
    'application/ld+json',
    'text/plain',
    'application/xml',
    'multipart/form-data',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    '*/*',
    'application/json; charset=',
  );
  const mutated =
    valid.length === 0
      ? hostileObject
      : fc
          .tuple(fc.constantFrom(...valid), fc.dictionary(hostileKey, hostileJsonValue, { maxKeys: 3 }))
          .chain(([base, extra]) =>
            fc.subarray(Object.keys(base)).chain((keys) =>
              fc.tuple(...keys.map(() => hostileJsonValue)).map((values) => ({
                ...base,
                ...Object.fromEntries(keys.map((k, i) => [k, values[i]])),
                ...extra,
              })),
            ),
          );
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ contentType: jsonTypes, body: mutated.map(json) }) },
    { weight: 2, arbitrary: fc.record({ contentType: jsonTypes, body: hostileJsonValue.map(json) }) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.integer({ min: 60, max: 20_000 }),
          fc.constantFrom('array', 'object', 'mixed') as fc.Arbitrary<'array' | 'object' | 'mixed'>,
        )
        .chain(([depth, kind]) =>
          fc.record({
            contentType: jsonTypes,
            body: fc.constant(Buffer.from(deepJson(depth, kind))),
          }),
        ),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        contentType: jsonTypes,
        body: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(mutated.map(json), fc.nat()).map(([bytes, cut]) => ({
        contentType: 'application/json',
        body: bytes.subarray(0, cut % (bytes.length + 1)),
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.tuple(hostileUrlComponent, hostileUrlComponent), { maxLength: 8 })
        .map((pairs) => ({
          contentType: FORM,
          body: Buffer.from(pairs.map(([k, v]) => `${k}=${v}`).join('&')),
        })),
    },
    {
      weight: 1,
      arbitrary: mutated.map((value) => ({
        contentType: FORM,
        body: Buffer.from(
          Object.entries(value)
            .map(
              ([k, v]) =>
                `${percentEncodedBytes(wtf8(k))}=${percentEncodedBytes(wtf8(typeof v === 'string' ? v : (JSON.stringify(v) ?? '')))}`,
            )
            .join('&'),
        ),
      })),
    },
    { weight: 1, arbitrary: fc.constant({ body: Buffer.alloc(0) }) },
  );
}

/** Headers a caller could send, latin-1 as HTTP carries them: media types, ids, keys, CloudEvents attributes. */
export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom(
    'accept',
    'accept-encoding',
    'x-correlation-id',
    'idempotency-key',
    'authorization',
    'x-api-key',
    'ce-id',
    'ce-type',
    'ce-source',
    'ce-subject',
    'ce-time',
    'ce-specversion',
    'ce-dataschema',
    'x-forwarded-for',
    'range',
  ),
  hostileString.map((s) =>
    // What Node lets a client put in a header value: tab and visible latin-1, no CR, LF or NUL.
    Array.from(s, (c) => (/^[\t\x20-\x7e\x80-\xff]$/.test(c) ? c : `%${c.charCodeAt(0).toString(16)}`))
      .join('')
      .slice(0, 4000),
  ),
  { maxKeys: 4 },
);

/** One route of a service for the fuzzer: a path with `:name` parameters, and how to reach it. */
export interface FuzzRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** Headers every request to the route carries (credentials), before the hostile ones. */
  headers?: Record<string, string>;
  /** Real values for the path parameters (an existing report's id), used about half of the time. */
  params?: Record<string, string>;
  /** Bodies the route accepts, mutated by {@link hostileBody}. */
  valid?: readonly Record<string, unknown>[];
}

/**
 * Requests to `routes`: a real or hostile value per path parameter, a hostile query string, hostile headers
 * over the route's own, and a hostile body on routes that take one.
 */
export function hostileRequest(routes: readonly FuzzRoute[]): fc.Arbitrary<RawRequest> {
  return fc.constantFrom(...routes).chain((route) => {
    const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const param = (name: string) =>
      route.params?.[name] === undefined
        ? hostileUrlComponent
        : fc.oneof(fc.constant(encodeURIComponent(route.params[name])), hostileUrlComponent);
    return fc
      .record({
        params: fc.tuple(...names.map(param)),
        query: fc.array(fc.tuple(hostileUrlComponent, hostileUrlComponent), { maxLength: 4 }),
        headers: hostileHeaders,
        body:
          route.method === 'GET' || route.method === 'DELETE'
            ? fc.constant(undefined)
            : hostileBody(route.valid),
      })
      .map(({ params, query, headers, body }) => {
        let path = route.path;
        names.forEach((name, i) => {
          path = path.replace(`:${name}`, () => (params[i] === '' ? '%20' : params[i]));
        });
        if (query.length > 0) path += `?${query.map(([k, v]) => `${k}=${v}`).join('&')}`;
        return {
          method: route.method,
          path,
          headers: {
            ...route.headers,
            ...headers,
            ...(body?.contentType === undefined ? {} : { 'content-type': body.contentType }),
          },
          ...(body === undefined ? {} : { body: body.body }),
        };
      });
  });
}

/**
 * Sends `runs` generated requests to `routes` one after another, asserting each with {@link expectHandled}.
 * Seeded from `IOC_FUZZ_SEED` when set, so a failure printed by fast-check can be replayed.
 */
export async function fuzzRoutes(
  baseUrl: string,
  routes: readonly FuzzRoute[],
  { runs, shapes = ['ioc'] }: { runs: number; shapes?: readonly ErrorShape[] },
): Promise<void> {
  const seed = process.env.IOC_FUZZ_SEED === undefined ? undefined : Number(process.env.IOC_FUZZ_SEED);
  await fc.assert(
    fc.asyncProperty(hostileRequest(routes), async (request) => {
      expectHandled(request, await sendRaw(baseUrl, request), shapes);
    }),
    { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
  );
}

/** Asserts the service still answers its readiness probe with 200, after whatever it was sent. */
export async function expectReady(baseUrl: string): Promise<void> {
  const response = await sendRaw(baseUrl, { method: 'GET', path: '/health/ready', headers: {} });
  if (response.status !== 200) {
    throw new Error(
      `/health/ready answered ${response.status}: ${response.body.toString('utf8').slice(0, 500)}`,
    );
  }
}
