/** What replaces a redacted value in logs. */
export const REDACTED = '[REDACTED]';

// Keys compared after lower-casing and dropping '-', '_' and '.', so `phone_number`, `phoneNumber`
// and `Phone-Number` match alike. Whole keys for names: a suffix rule would also hide `topicName`.
const EXACT = new Set([
  // personal data: a reporter's name and phone never reach logs (docs/architecture.md, "Privacy")
  'name',
  'fullname',
  'firstname',
  'lastname',
  'displayname',
  'reportername',
  'contactname',
  'citizenname',
  'reporter',
  'contact',
  // credentials carried by HTTP and config
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'pepper',
  'databaseurl',
]);
// `apikey` also covers `x-api-key` and `api_key`; `idempotencykey` the header whose first answer carries a
// citizen's secret. A bare `key` suffix would hide Kafka keys and cache keys, which are ids, not secrets.
const SUFFIXES = [
  'phone',
  'phonenumber',
  'mobile',
  'email',
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'idempotencykey',
  'credential',
  'credentials',
  'signature',
];

/** True when a value under `key` must not be logged. */
export function isSensitiveKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[-_.]/g, '');
  return EXACT.has(normalised) || SUFFIXES.some((suffix) => normalised.endsWith(suffix));
}

/**
 * Whether to look inside an object: plain objects and data-class instances (DTOs arrive as class
 * instances after ValidationPipe's transform), but not errors, dates, buffers, maps, emitters
 * (requests, sockets, streams) or objects with their own JSON form. Checked by tag and shape, not
 * `instanceof`, so objects from another realm (Node's http headers under Jest) qualify too.
 */
function isWalkable(value: object): value is Record<string, unknown> {
  if (Object.prototype.toString.call(value) !== '[object Object]') return false;
  const candidate = value as { toJSON?: unknown; on?: unknown; emit?: unknown };
  return (
    typeof candidate.toJSON !== 'function' &&
    !(typeof candidate.on === 'function' && typeof candidate.emit === 'function')
  );
}

/**
 * Returns `value` with every sensitive key ({@link isSensitiveKey}) replaced by `[REDACTED]`, at
 * any depth of objects and arrays. Copy-on-write: objects without sensitive keys are returned as
 * they are, so the common log line costs one walk and no allocation; a redacted copy keeps the
 * own enumerable properties, which is all JSON would show. Errors, requests, dates and buffers are
 * left to pino's serializers; cycles to its safe stringify.
 */
export function redact<T>(value: T): T {
  return redactValue(value, new Set()) as T;
}

function redactValue(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value !== 'object' || value === null || ancestors.has(value)) return value;
  if (Array.isArray(value)) {
    ancestors.add(value);
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const redacted = redactValue(item, ancestors);
      if (redacted !== item) {
        copy ??= value.slice();
        copy[i] = redacted;
      }
    }
    ancestors.delete(value);
    return copy ?? value;
  }
  if (!isWalkable(value)) return value;
  ancestors.add(value);
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const redacted = isSensitiveKey(key)
      ? item === undefined
        ? item
        : REDACTED
      : redactValue(item, ancestors);
    if (redacted !== item) {
      copy ??= { ...value };
      copy[key] = redacted;
    }
  }
  ancestors.delete(value);
  return copy ?? value;
}

// HTTP headers whose values are logged; every other header is logged by name with its value redacted, so
// a credential carried by a header nobody listed yet (a vendor's signature, a new auth scheme) never
// reaches the logs. Request and response headers alike; lower-case, as Node gives them.
const LOGGED_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'content-encoding',
  'content-language',
  'content-length',
  'content-type',
  'date',
  'etag',
  'host',
  'if-match',
  'if-none-match',
  'last-modified',
  'retry-after',
  'traceparent',
  'tracestate',
  'transfer-encoding',
  'user-agent',
  'vary',
  'x-correlation-id',
  'x-request-id',
]);

/**
 * HTTP headers as they may be logged: the names of all, the values only of a fixed allow-list of
 * headers that never carry credentials; every other value is `[REDACTED]`.
 */
export function redactHeaders<T>(headers: T): T {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return headers;
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    copy[name] = LOGGED_HEADERS.has(name.toLowerCase()) || value === undefined ? value : REDACTED;
  }
  return copy as T;
}

/**
 * Replaces the values of sensitive query parameters in a URL path (`/x?api_key=…&phone=…`), since
 * Open311 clients send `api_key` in the query string and the URL lands in every request log.
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawKey = eq < 0 ? pair : pair.slice(0, eq);
      let key = rawKey;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      } catch {
        // A malformed escape is logged as sent; only decodable keys can be matched.
      }
      return eq >= 0 && isSensitiveKey(key) ? `${rawKey}=${encodeURIComponent(REDACTED)}` : pair;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}
