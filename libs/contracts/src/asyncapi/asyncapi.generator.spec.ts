import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { parse } from 'yaml';

import { EventTypes } from '../events/event-types';
import { TOPIC_CATALOG } from '../topics/topic-catalog';
import { generateAsyncApi, generateJsonSchemaFiles } from './asyncapi.generator';

const root = resolve(__dirname, '../../../..');
const regenerate = 'run `npm run asyncapi` and commit the result';

describe(generateAsyncApi.name, () => {
  const sut = generateAsyncApi();

  it(`matches the checked-in docs/asyncapi.yaml (else ${regenerate})`, () => {
    expect(readFileSync(join(root, 'docs/asyncapi.yaml'), 'utf8')).toBe(sut);
  });

  it('is a valid AsyncAPI document', async () => {
    const diagnostics = await new Parser().validate(sut);

    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    expect(errors.map((d) => `${d.path.join('/')}: ${d.message}`)).toEqual([]);
  });

  it('describes every topic of the catalog with its address and Kafka configuration', () => {
    const channels = Object.values(parse(sut).channels as Record<string, Record<string, unknown>>);

    for (const spec of TOPIC_CATALOG) {
      expect(channels).toContainEqual(
        expect.objectContaining({
          address: spec.name,
          bindings: {
            kafka: expect.objectContaining({
              partitions: spec.partitions,
              topicConfiguration: {
                'cleanup.policy': [spec.cleanupPolicy],
                'retention.ms': spec.retentionMs ?? -1,
              },
            }),
          },
        }),
      );
    }
  });

  it('has a message whose payload is the schema of each event type', () => {
    const { components } = parse(sut) as { components: { messages: Record<string, { payload: unknown }> } };

    for (const type of Object.values(EventTypes)) {
      expect(components.messages[type].payload).toEqual({ $ref: `#/components/schemas/${type}` });
    }
  });

  it('has a send operation per producer and a receive operation per consumer', () => {
    const operations = Object.values(parse(sut).operations as Record<string, { action: string }>);
    const expected = TOPIC_CATALOG.reduce(
      (sum, spec) => sum + spec.producers.length + spec.consumers.length,
      0,
    );

    expect(operations).toHaveLength(expected);
  });
});

describe(generateJsonSchemaFiles.name, () => {
  const dir = join(root, 'libs/contracts/schemas');
  const files = generateJsonSchemaFiles();

  it(`matches the checked-in files one for one (else ${regenerate})`, () => {
    expect(readdirSync(dir).sort()).toEqual([...files.keys()].sort());
    for (const [name, content] of files)
      expect(`${name}:\n${readFileSync(join(dir, name), 'utf8')}`).toBe(`${name}:\n${content}`);
  });

  it('writes one file per event type, named after it', () => {
    expect([...files.keys()].sort()).toEqual(
      Object.values(EventTypes)
        .map((type) => `${type}.json`)
        .sort(),
    );
  });
});
