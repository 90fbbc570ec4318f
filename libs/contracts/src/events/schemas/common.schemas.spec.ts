import { eventSamples } from '../../../test/event-samples';
import { IocEventEnvelopeSchema } from '../../envelope/envelope.schema';
import { envelopeProblems, validateEventData } from '../../validation/event-validator';
import { EVENT_SCHEMAS } from '../event-schemas';
import { SafeString } from './common.schemas';

type Node = Record<string, unknown>;

/** Where a string of an instance sits: its JSON pointer, and the pointer of the schema that checks it. */
interface StringLeaf {
  instancePath: string;
  schemaPath: string;
}

// A string node that can hold text: `enum` and `const` admit only the contract's own values.
const isTextNode = (node: Node) => node.type === 'string' && !('enum' in node) && !('const' in node);

// Every text node of a schema, by schema pointer (the conditional if/then only repeat required names).
function textNodes(node: unknown, path = ''): string[] {
  if (typeof node !== 'object' || node === null) return [];
  const schema = node as Node;
  const found = isTextNode(schema) ? [path] : [];
  for (const keyword of ['properties', 'patternProperties'] as const) {
    for (const [name, child] of Object.entries((schema[keyword] ?? {}) as Node)) {
      found.push(...textNodes(child, `${path}/${keyword}/${name}`));
    }
  }
  if (schema.items) found.push(...textNodes(schema.items, `${path}/items`));
  for (const [index, child] of ((schema.anyOf ?? []) as unknown[]).entries()) {
    found.push(...textNodes(child, `${path}/anyOf/${index}`));
  }
  return found;
}

// Walks an instance alongside its schema and yields each string it holds with the text node checking it.
function* stringLeaves(
  node: Node,
  value: unknown,
  instancePath = '',
  schemaPath = '',
): Generator<StringLeaf> {
  if (typeof value === 'string' && isTextNode(node)) yield { instancePath, schemaPath };
  if (typeof value !== 'object' || value === null) {
    for (const [index, alternative] of ((node.anyOf ?? []) as Node[]).entries()) {
      yield* stringLeaves(alternative, value, instancePath, `${schemaPath}/anyOf/${index}`);
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      yield* stringLeaves(node.items as Node, item, `${instancePath}/${index}`, `${schemaPath}/items`);
    }
    return;
  }
  const properties = (node.properties ?? {}) as Record<string, Node>;
  const patterns = Object.entries((node.patternProperties ?? {}) as Record<string, Node>);
  for (const [name, child] of Object.entries(value)) {
    if (name in properties) {
      yield* stringLeaves(
        properties[name],
        child,
        `${instancePath}/${name}`,
        `${schemaPath}/properties/${name}`,
      );
      continue;
    }
    for (const [pattern, schema] of patterns.filter(([p]) => new RegExp(p, 'u').test(name))) {
      yield* stringLeaves(
        schema,
        child,
        `${instancePath}/${name}`,
        `${schemaPath}/patternProperties/${pattern}`,
      );
    }
  }
}

function withString(value: unknown, pointer: string, change: (text: string) => string): unknown {
  const copy = structuredClone(value) as Node;
  const keys = pointer.split('/').slice(1);
  const parent = keys.slice(0, -1).reduce<Node>((node, key) => node[key] as Node, copy);
  const last = keys[keys.length - 1];
  parent[last] = change(parent[last] as string);
  return copy;
}

// Into the middle, so that a pattern anchored at both ends still sees the rest of a valid value.
const insert = (character: string) => (text: string) => `${text.slice(0, 1)}${character}${text.slice(1)}`;

const HOSTILE = [
  ['U+0000', '\u0000'],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate', '\udc00'],
] as const;

// The detail event-validator writes when the rule fires: the field's pointer, then the rule.
const refusal = (pointer: string) => new RegExp(`(^|; )${pointer} must not contain U\\+0000 or`);

// Values of the optional fields the shared samples leave out. With them every text node is reached: the first
// spec below fails for a new field until it has a value here or in the samples.
const optionalValues: Record<string, string> = {
  agencyId: 'agency-transport',
  previousAgencyId: 'agency-water',
  segmentId: 'seg-0007',
  adminUnitCode: 'new:ward-3',
};

const cases = Object.entries(EVENT_SCHEMAS).map(([type, schema]) => {
  const declared = Object.keys((schema as Node).properties as Node);
  const extras = Object.entries(optionalValues).filter(([name]) => declared.includes(name));
  return {
    type,
    schema: schema as Node,
    sample: { ...Object.fromEntries(extras), ...eventSamples[type as keyof typeof eventSamples] },
  };
});

const envelopeSample = {
  specversion: '1.0',
  id: 'evt-1',
  source: '/ioc/test',
  type: 'ioc.camera.detection.v1',
  subject: 'cam-0042',
  time: '2025-03-01T02:00:00.000Z',
  datacontenttype: 'application/json',
  dataschema: 'https://schemas.ioc.example/events/ioc.camera.detection.v1.json',
  correlationid: 'corr-1',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  data: {},
};

describe(SafeString.name, () => {
  it.each(cases)('every text property of $type has a value in its sample', ({ type, schema, sample }) => {
    expect(validateEventData(type, sample)).toEqual({ ok: true, data: sample });
    const reached = new Set([...stringLeaves(schema, sample)].map((leaf) => leaf.schemaPath));
    expect(textNodes(schema).filter((path) => !reached.has(path))).toEqual([]);
  });

  it('every string attribute of the envelope has a value in its sample', () => {
    const schema = IocEventEnvelopeSchema as unknown as Node;
    const reached = new Set([...stringLeaves(schema, envelopeSample)].map((leaf) => leaf.schemaPath));
    expect(textNodes(schema).filter((path) => !reached.has(path))).toEqual([]);
    expect(envelopeProblems(envelopeSample)).toBeUndefined();
  });

  describe.each(HOSTILE)('refuses %s', (_name, character) => {
    it.each(cases)('in every text property of $type, naming the field', ({ type, schema, sample }) => {
      const leaves = [...stringLeaves(schema, sample)];
      expect(leaves.length).toBeGreaterThan(0);
      for (const { instancePath } of leaves) {
        const result = validateEventData(type, withString(sample, instancePath, insert(character)));
        expect({ instancePath, result }).toEqual({
          instancePath,
          result: {
            ok: false,
            reason: 'schema.invalid',
            detail: expect.stringMatching(refusal(instancePath)),
          },
        });
      }
    });

    it('in every string attribute of the envelope, naming the attribute', () => {
      for (const { instancePath } of stringLeaves(
        IocEventEnvelopeSchema as unknown as Node,
        envelopeSample,
      )) {
        const problems = envelopeProblems(withString(envelopeSample, instancePath, insert(character)));
        expect({ instancePath, problems }).toEqual({
          instancePath,
          problems: expect.stringMatching(refusal(instancePath)),
        });
      }
    });
  });

  it('accepts Vietnamese text and characters beyond the BMP, which Postgres stores', () => {
    const data = { ...eventSamples['ioc.report.submission.v1'], description: 'Đèn đường hỏng 😀 𠀀' };
    expect(validateEventData('ioc.report.submission.v1', data)).toEqual({ ok: true, data });
  });
});
