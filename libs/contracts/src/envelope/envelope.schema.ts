import { Type } from '@sinclair/typebox';

import { SafeString } from '../events/schemas/common.schemas';

// Printable ASCII without spaces: ids and types end up in idempotency tables, logs and DLQ headers.
const VISIBLE_ASCII = '^[\\x21-\\x7E]+$';

/**
 * The CloudEvents 1.0 attributes an IOC event must carry. Stricter than the spec where
 * docs/architecture.md, "Envelope" asks for more:
 * `subject` (the aggregate id) and `time` are required, and data is always a JSON object. Every string
 * attribute is a {@link SafeString}: consumers store ids and subjects in Postgres.
 */
export const IocEventEnvelopeSchema = Type.Object(
  {
    specversion: Type.Literal('1.0'),
    id: SafeString({
      description: 'Unique per event; consumers deduplicate by it',
      minLength: 1,
      maxLength: 128,
      pattern: VISIBLE_ASCII,
    }),
    source: SafeString({
      description: 'Producing application',
      minLength: 1,
      maxLength: 512,
      format: 'uri-reference',
    }),
    type: SafeString({
      description: 'Versioned event type',
      minLength: 1,
      maxLength: 128,
      pattern: VISIBLE_ASCII,
    }),
    subject: SafeString({
      description: 'Aggregate id, equal to the Kafka key',
      minLength: 1,
      maxLength: 256,
      pattern: '^\\S+$',
    }),
    time: SafeString({ description: 'When the event happened', format: 'date-time', maxLength: 40 }),
    datacontenttype: Type.Literal('application/json'),
    dataschema: Type.Optional(
      SafeString({ description: 'URI of the data schema', format: 'uri', maxLength: 512 }),
    ),
    correlationid: Type.Optional(
      SafeString({
        description: 'Ties together events of one flow',
        minLength: 1,
        maxLength: 128,
        pattern: VISIBLE_ASCII,
      }),
    ),
    traceparent: Type.Optional(
      SafeString({
        description: 'W3C Trace Context (CloudEvents distributed tracing extension)',
        pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
      }),
    ),
    data: Type.Unsafe<Record<string, unknown>>({ type: 'object', description: 'The event data' }),
  },
  { additionalProperties: false },
);
