import { TOPIC_CATALOG, Topics } from '../topics/topic-catalog';
import { EVENT_SCHEMAS } from './event-schemas';
import { EventTypes, isEventType } from './event-types';

type Node = Record<string, unknown>;

// Every sub-schema with the JSON pointer that leads to it.
function* subSchemas(node: unknown, path = ''): Generator<[string, Node]> {
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Node;
  yield [path || '/', schema];
  for (const keyword of ['properties', 'patternProperties'] as const) {
    for (const [name, child] of Object.entries((schema[keyword] ?? {}) as Node)) {
      yield* subSchemas(child, `${path}/${keyword}/${name}`);
    }
  }
  for (const keyword of ['items', 'if', 'then'] as const)
    yield* subSchemas(schema[keyword], `${path}/${keyword}`);
  for (const keyword of ['anyOf', 'allOf'] as const) {
    for (const [index, child] of ((schema[keyword] ?? []) as unknown[]).entries()) {
      yield* subSchemas(child, `${path}/${keyword}/${index}`);
    }
  }
}

const entries = Object.entries(EVENT_SCHEMAS);

describe('EVENT_SCHEMAS', () => {
  it('has one schema per event type', () => {
    expect(Object.keys(EVENT_SCHEMAS).sort()).toEqual(Object.values(EventTypes).sort());
  });

  it.each(entries)(
    '%s declares draft 2020-12, a versioned $id, a title and a description',
    (type, schema) => {
      expect(schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `https://schemas.ioc.example/events/${type}.json`,
        title: expect.any(String),
        description: expect.any(String),
      });
      expect(type).toMatch(/\.v\d+$/);
    },
  );

  it.each(entries)('%s closes every object and bounds every string, number and array', (_type, schema) => {
    const unbounded: string[] = [];
    for (const [path, node] of subSchemas(schema)) {
      if (path.includes('/if') || path.includes('/then')) continue;
      if (node.type === 'object' && node.additionalProperties !== false) unbounded.push(`${path} is open`);
      if (node.type === 'string' && !('enum' in node) && !('maxLength' in node))
        unbounded.push(`${path} maxLength`);
      if ((node.type === 'number' || node.type === 'integer') && !('minimum' in node && 'maximum' in node)) {
        unbounded.push(`${path} range`);
      }
      if (node.type === 'array' && !('maxItems' in node)) unbounded.push(`${path} maxItems`);
    }
    expect(unbounded).toEqual([]);
  });

  it.each(entries)('%s bounds every location to valid coordinates', (_type, schema) => {
    for (const [path, node] of subSchemas(schema)) {
      if (!path.endsWith('/location')) continue;
      expect(node.properties).toEqual({
        lat: expect.objectContaining({ minimum: -90, maximum: 90 }),
        lon: expect.objectContaining({ minimum: -180, maximum: 180 }),
      });
    }
  });

  it('has no property for personal data on any topic but the inbound submissions', () => {
    const inbound = new Set(
      TOPIC_CATALOG.find((spec) => spec.name === Topics.reportsSubmissions)?.eventTypes,
    );
    const personal = /^(reporter|name|phone|email|e-?mail|photos?|attachments|address(Text)?|contact)$/i;
    const found = entries
      .filter(([type]) => !inbound.has(type as never))
      .flatMap(([type, schema]) =>
        [...subSchemas(schema)]
          .map(([path]) => path.split('/').pop() ?? '')
          .filter((name) => personal.test(name))
          .map((name) => `${type}: ${name}`),
      );
    expect(found).toEqual([]);
  });

  it('names no reference city: another city loads its data, not new code', () => {
    const text = JSON.stringify(EVENT_SCHEMAS)
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '');
    expect(text).not.toMatch(/hai ?phong/i);
  });
});

describe(isEventType.name, () => {
  it('recognises the contract types and nothing else', () => {
    expect(isEventType(EventTypes.reportSubmitted)).toBe(true);
    expect(isEventType('ioc.report.submitted.v2')).toBe(false);
    expect(isEventType('toString')).toBe(false);
  });
});
