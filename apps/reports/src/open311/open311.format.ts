import { InternalError } from '@ioc/observability';
import { XMLBuilder } from 'fast-xml-parser';

/** The formats of GeoReport v2, chosen by the resource's suffix (`services.xml`, `services.json`). */
export type Open311Format = 'xml' | 'json';

/** A value of an Open311 answer, as JSON has it. */
export type Open311Value =
  null | boolean | number | string | Open311Value[] | { [field: string]: Open311Value };

/**
 * The XML element names of an answer: the root element and, when the answer is a list, the element of each
 * item (GeoReport v2 `<services><service>…`, `<service_requests><request>…`, `<errors><error>…`).
 */
export interface Open311Document {
  root: string;
  item?: string;
}

export const OPEN311_DOCUMENTS = {
  discovery: { root: 'discovery' },
  services: { root: 'services', item: 'service' },
  serviceDefinition: { root: 'service_definition' },
  serviceRequests: { root: 'service_requests', item: 'request' },
  errors: { root: 'errors', item: 'error' },
} as const satisfies Record<string, Open311Document>;

// Lists inside an answer, by their field name: the spec's container and item elements (Service Discovery
// `<endpoints><endpoint>`, `<formats><format>`; Service Definition `<attributes><attribute>`, `<values><value>`).
const NESTED_ITEMS: Readonly<Record<string, string>> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
};

export const OPEN311_CONTENT_TYPES: Readonly<Record<Open311Format, string>> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

// XML 1.0 allows neither most C0 controls nor lone surrogates, which citizens' text may carry.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: true, processEntities: true });

/** The format a request asked for, by the suffix of its path (`/open311/v2/requests.xml?status=open`). */
export function open311FormatOf(url: string): Open311Format {
  return pathOf(url).endsWith('.xml') ? 'xml' : 'json';
}

/** The path of a request URL (`originalUrl`), without its query. */
export function pathOf(url: string): string {
  return url.split('?', 1)[0];
}

/**
 * Writes an Open311 answer in the requested format. Both formats come from the same value: JSON as it is,
 * XML by the spec's mapping (its "Spark convention" read backwards): a list becomes a container element with
 * one child element per item, null an empty element, true/false and numbers their text. The XML declaration
 * names UTF-8 (GeoReport v2 "Encoding").
 */
export function serializeOpen311(
  document: Open311Document,
  value: Open311Value,
  format: Open311Format,
): { contentType: string; body: string } {
  if (format === 'json') return { contentType: OPEN311_CONTENT_TYPES.json, body: JSON.stringify(value) };
  const content = Array.isArray(value)
    ? list(document.root, document.item, value)
    : element(document.root, value);
  return {
    contentType: OPEN311_CONTENT_TYPES.xml,
    body: builder.build({
      '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
      [document.root]: content,
    }),
  };
}

function list(name: string, item: string | undefined, values: readonly Open311Value[]): unknown {
  if (item === undefined) throw new InternalError(`Open311 list ${name} has no item element`);
  return values.length === 0 ? '' : { [item]: values.map((value) => element(item, value)) };
}

function element(name: string, value: Open311Value): unknown {
  if (value === null) return '';
  if (Array.isArray(value)) return list(name, NESTED_ITEMS[name], value);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([field, inner]) => [field, element(field, inner)]));
  }
  return typeof value === 'string' ? value.replace(NOT_XML_CHAR, '\uFFFD') : String(value);
}
