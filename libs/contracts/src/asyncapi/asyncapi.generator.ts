import { stringify } from 'yaml';

import { IocEventEnvelopeSchema } from '../envelope/envelope.schema';
import { DecodeFailureReasons } from '../envelope/kafka-codec';
import { EVENT_SCHEMAS } from '../events/event-schemas';
import type { EventType } from '../events/event-types';
import { schemaId } from '../events/schemas/common.schemas';
import { TOPIC_CATALOG, Topics, type TopicName, type TopicSpec } from '../topics/topic-catalog';
import { ValidationFailureReasons } from '../validation/event-validator';

type Json = Record<string, unknown>;

const GENERATED_NOTICE =
  '# Generated from libs/contracts by `npm run asyncapi`; do not edit. A unit spec fails when it is stale.\n';

/** The AsyncAPI 3.0 document of the backbone, as YAML, built from the topic catalog and the event schemas. */
export function generateAsyncApi(): string {
  const document = {
    asyncapi: '3.0.0',
    info: {
      title: 'IOC event backbone',
      version: '1.0.0',
      description: [
        'Topics and events exchanged by the services of a city intelligent operations center (IOC) and its integrators.',
        '',
        'Every event is a CloudEvents 1.0 event carried with the CloudEvents Kafka protocol binding. Services publish',
        'in binary content mode (attributes in `ce_` headers, data as JSON in the value); topics fed by integrators',
        'also accept structured content mode (`content-type: application/cloudevents+json`, the whole event in the',
        'value). The Kafka key is the event subject, the id of the aggregate, so events of one aggregate keep their',
        'order. Event types are versioned; a breaking change is a new type. Records that cannot be decoded or fail',
        'their schema go to the dead-letter topic with the reason.',
        '',
        'At run time a topic name may carry a suffix (`<topic>.<suffix>`) that isolates an environment or a test run.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: 'localhost:{port}',
        protocol: 'kafka',
        description: 'Single-node KRaft broker for development; services find it through KAFKA_BROKERS.',
        variables: { port: { default: '9092', description: 'Listener port of the local broker' } },
      },
      production: {
        host: '{bootstrap}',
        protocol: 'kafka-secure',
        description:
          "The city's Kafka cluster (for example operated by Strimzi in Kubernetes), with a replication factor of 3.",
        variables: {
          bootstrap: { default: 'kafka-bootstrap:9093', description: 'Bootstrap address of the cluster' },
        },
      },
    },
    channels: Object.fromEntries(TOPIC_CATALOG.map((spec) => [channelKey(spec.name), channel(spec)])),
    operations: Object.fromEntries(TOPIC_CATALOG.flatMap(operations)),
    components: {
      schemas: Object.fromEntries(
        Object.entries(EVENT_SCHEMAS).map(([type, schema]) => [type, asyncApiSchema(schema)]),
      ),
      messages: Object.fromEntries(TOPIC_CATALOG.flatMap(messages)),
    },
  };
  return GENERATED_NOTICE + stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
}

/** The published JSON Schema files, by file name: one `<event type>.json` per event type. */
export function generateJsonSchemaFiles(): Map<string, string> {
  return new Map(
    Object.entries(EVENT_SCHEMAS).map(([type, schema]) => [
      `${type}.json`,
      `${JSON.stringify(schema, null, 2)}\n`,
    ]),
  );
}

function channelKey(name: TopicName): string {
  return Object.entries(Topics).find(([, topic]) => topic === name)?.[0] ?? name;
}

function channel(spec: TopicSpec): Json {
  return {
    address: spec.name,
    title: spec.name,
    description: [
      spec.purpose,
      '',
      `Key: ${spec.key}. Producers: ${spec.producers.join(', ')}. Consumers: ${spec.consumers.join(', ')}.`,
      'Replication factor is deployment configuration (1 on a single local broker, 3 in production).',
    ].join('\n'),
    messages: Object.fromEntries(
      messageNames(spec).map((name) => [name, { $ref: `#/components/messages/${name}` }]),
    ),
    bindings: {
      kafka: {
        partitions: spec.partitions,
        topicConfiguration: {
          'cleanup.policy': [spec.cleanupPolicy],
          // Kafka spells "keep forever" as -1.
          'retention.ms': spec.retentionMs ?? -1,
        },
        bindingVersion: '0.5.0',
      },
    },
  };
}

// Topics fed by integrators accept structured mode too, so they get a second message per event type.
function acceptsStructured(spec: TopicSpec): boolean {
  return spec.producers.includes('integrator');
}

function messageNames(spec: TopicSpec): string[] {
  if (spec.eventTypes.length === 0) return [deadLetterName(spec)];
  return spec.eventTypes.flatMap((type) => (acceptsStructured(spec) ? [type, `${type}.structured`] : [type]));
}

function deadLetterName(spec: TopicSpec): string {
  return `${channelKey(spec.name)}.record`;
}

function messages(spec: TopicSpec): [string, Json][] {
  if (spec.eventTypes.length === 0) return [[deadLetterName(spec), deadLetterMessage(spec)]];
  return spec.eventTypes.flatMap((type) => {
    const binary: [string, Json] = [type, binaryMessage(spec, type)];
    return acceptsStructured(spec)
      ? [binary, [`${type}.structured`, structuredMessage(spec, type)]]
      : [binary];
  });
}

function messageBase(spec: TopicSpec, type: EventType): Json {
  const schema = EVENT_SCHEMAS[type];
  return {
    name: type,
    title: schema.title,
    summary: schema.description,
    correlationId: { location: '$message.header#/ce_correlationid' },
    bindings: { kafka: { key: { type: 'string', description: spec.key }, bindingVersion: '0.5.0' } },
  };
}

function binaryMessage(spec: TopicSpec, type: EventType): Json {
  return {
    ...messageBase(spec, type),
    contentType: 'application/json',
    headers: binaryHeaders(type),
    payload: { $ref: `#/components/schemas/${type}` },
  };
}

function structuredMessage(spec: TopicSpec, type: EventType): Json {
  const attributes = envelopeAttributes(type);
  return {
    ...messageBase(spec, type),
    title: `${EVENT_SCHEMAS[type].title} (structured mode)`,
    correlationId: { location: '$message.payload#/correlationid' },
    contentType: 'application/cloudevents+json',
    headers: {
      type: 'object',
      required: ['content-type'],
      properties: {
        'content-type': {
          type: 'string',
          pattern: '^application/cloudevents\\+json(;.*)?$',
          description: 'Structured content mode (CloudEvents Kafka binding 3.3)',
        },
      },
    },
    payload: {
      type: 'object',
      description:
        'The whole CloudEvent as JSON; `datacontenttype` may be left out, meaning application/json.',
      required: requiredAttributes().filter((name) => name !== 'datacontenttype'),
      properties: { ...attributes, data: { $ref: `#/components/schemas/${type}` } },
    },
  };
}

function binaryHeaders(type: EventType): Json {
  const attributes = envelopeAttributes(type);
  const header = (name: string) => (name === 'datacontenttype' ? 'content-type' : `ce_${name}`);
  return {
    type: 'object',
    description: 'CloudEvents attributes in binary content mode (CloudEvents Kafka binding 3.2)',
    required: requiredAttributes().map(header),
    properties: Object.fromEntries(
      Object.entries(attributes).map(([name, schema]) => [header(name), schema]),
    ),
  };
}

/** The envelope attributes (not `data`) as plain JSON Schema, with `type` and `dataschema` pinned. */
function envelopeAttributes(type: EventType): Json {
  const { data: _data, ...attributes } = plain(IocEventEnvelopeSchema.properties);
  return {
    ...attributes,
    type: { type: 'string', const: type, description: 'Versioned event type' },
    dataschema: { type: 'string', const: schemaId(type), description: 'URI of the data schema' },
  };
}

function requiredAttributes(): string[] {
  return (IocEventEnvelopeSchema.required ?? []).filter((name) => name !== 'data');
}

function deadLetterMessage(spec: TopicSpec): Json {
  const reasons = [...Object.values(DecodeFailureReasons), ...Object.values(ValidationFailureReasons)];
  return {
    name: 'dead-letter',
    title: 'Dead-lettered record',
    summary: 'A record a consumer could not accept, kept byte for byte for inspection and replay.',
    description:
      'The value is the original value and the key the original key. The headers are the original headers plus ' +
      "headers the messaging library adds: the reason (one of the contract's codes " +
      `${reasons.map((reason) => `\`${reason}\``).join(', ')}, or a consumer's own code such as an unknown camera), ` +
      'a detail that never quotes values, and the source topic, partition and offset.',
    contentType: 'application/octet-stream',
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    payload: { description: 'The original record value, unchanged' },
    bindings: { kafka: { key: { type: 'string', description: spec.key }, bindingVersion: '0.5.0' } },
  };
}

function operations(spec: TopicSpec): [string, Json][] {
  const key = channelKey(spec.name);
  const refs = messageNames(spec).map((name) => ({ $ref: `#/channels/${key}/messages/${name}` }));
  const operation = (app: string, action: 'send' | 'receive'): [string, Json] => [
    `${camel(app)}${action === 'send' ? 'Sends' : 'Receives'}${key[0].toUpperCase()}${key.slice(1)}`,
    {
      action,
      channel: { $ref: `#/channels/${key}` },
      summary: `${app} ${action === 'send' ? 'publishes to' : 'consumes'} ${spec.name}`,
      tags: [{ name: app }],
      messages: refs,
    },
  ];
  return [
    ...spec.producers.map((app) => operation(app, 'send')),
    ...spec.consumers.map((app) => operation(app, 'receive')),
  ];
}

function camel(id: string): string {
  return id.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * A schema as plain JSON (TypeBox keeps symbols on its objects). `$schema` is dropped: inside AsyncAPI the
 * default schema format applies, and the schemas use only keywords it shares with draft 2020-12.
 */
function asyncApiSchema(schema: object): Json {
  const { $schema: _dialect, ...rest } = plain(schema);
  return rest;
}

function plain(value: object): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}
