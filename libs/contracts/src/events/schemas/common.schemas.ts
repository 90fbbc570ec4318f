import {
  Type,
  type SchemaOptions,
  type StringOptions,
  type TObject,
  type TProperties,
  type TString,
  type TUnsafe,
} from '@sinclair/typebox';

import type { EventType } from '../event-types';

/** Where the published schemas live; `$id` and the CloudEvents `dataschema` attribute both point here. */
export const SCHEMA_BASE_URI = 'https://schemas.ioc.example/events/';

export function schemaId(type: EventType): string {
  return `${SCHEMA_BASE_URI}${type}.json`;
}

/**
 * An event's data schema: a closed object (`additionalProperties: false`) so a field the contract does not name, such
 * as a reporter's phone on a report event, is rejected rather than carried along (docs/architecture.md, "Privacy").
 */
export function eventSchema<P extends TProperties>(
  type: EventType,
  meta: { title: string; description: string },
  properties: P,
  options: SchemaOptions = {},
): TObject<P> {
  return Type.Object(properties, {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: schemaId(type),
    ...meta,
    ...options,
    additionalProperties: false,
  });
}

/**
 * A string enumeration as `{ type: 'string', enum: [...] }` rather than TypeBox's `anyOf` of literals, which
 * reads better in the published schemas and in AsyncAPI while keeping the same static type.
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

/**
 * Code points no Postgres `text` or `jsonb` value can hold: U+0000 (`text` refuses the byte, `jsonb` the
 * escape) and lone UTF-16 surrogates. A surrogate arrives through a JSON escape such as `"\ud800"` in
 * otherwise valid UTF-8; `text` would silently store U+FFFD instead and `jsonb` refuses it. (Invalid UTF-8
 * bytes are not in this class: the decoder turns them into U+FFFD, which Postgres stores.) JSON Schema
 * patterns are ECMA-262 with the `u` flag, under which `[\uD800-\uDFFF]` matches only unpaired
 * surrogates, so emoji and other astral characters pass.
 */
export const UNSTORABLE_CHARACTERS = '[\\u0000\\uD800-\\uDFFF]';

/**
 * Refuses a string holding {@link UNSTORABLE_CHARACTERS}. A `not` rather than a `pattern`, so it composes with
 * a field's own pattern or format; event-validator names the field and this rule when it fires.
 */
export const StorableText = {
  description: 'U+0000 or an unpaired surrogate, which PostgreSQL text cannot store',
  pattern: UNSTORABLE_CHARACTERS,
} as const;

/**
 * Every string of an event and of its envelope, so that what passes validation can be stored (an event that
 * could not would fail in the consumer's transaction instead of going to the DLQ with a reason). The specs
 * check that every string property refuses U+0000; build strings with this, never with `Type.String`.
 */
export const SafeString = (options: StringOptions): TString => Type.String({ ...options, not: StorableText });

/** Ids of aggregates and reference data (reports, cameras, segments, agencies, units, categories). */
export const Identifier = (description: string) =>
  SafeString({ description, minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' });

/** RFC 3339 date-time with an explicit offset; producers write UTC (docs/architecture.md, "Time"). */
export const DateTime = (description: string) =>
  SafeString({ description, format: 'date-time', maxLength: 40 });

export const GeoPoint = (description: string) =>
  Type.Object(
    {
      lat: Type.Number({ description: 'WGS 84 latitude in degrees', minimum: -90, maximum: 90 }),
      lon: Type.Number({ description: 'WGS 84 longitude in degrees', minimum: -180, maximum: 180 }),
    },
    { description, additionalProperties: false },
  );

/** Free text written by people; bounded, and never interpreted (it is data, not markup or SQL). */
export const Text = (description: string, maxLength: number) =>
  SafeString({ description, minLength: 1, maxLength });

/** Channels a report can arrive through. `other` keeps a new channel publishable before it gets a name. */
export const REPORT_CHANNELS = [
  'app',
  'web',
  'hotline',
  'zalo',
  'national-portal',
  'email',
  'sms',
  'open311',
  'walk-in',
  'other',
] as const;
export type ReportChannel = (typeof REPORT_CHANNELS)[number];
export const ReportChannelSchema = StringEnum(REPORT_CHANNELS, {
  description: 'Channel the report came in by',
});

/** A report's lifecycle state after the event that carries it. */
export const REPORT_STATUSES = [
  'submitted',
  'assigned',
  'acknowledged',
  'in-progress',
  'resolved',
  'closed',
  'reopened',
  'declined',
  'rejected',
  'duplicate',
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** What a camera's analytics can recognise. Incidents reuse the list, so a traffic jam is `congestion`. */
export const DETECTION_CLASSES = [
  'congestion',
  'accident',
  'wrong-way',
  'illegal-parking',
  'flooding',
  'fire-smoke',
  'crowd',
  'sidewalk-encroachment',
  'queue-length',
  'other',
] as const;
export type DetectionClass = (typeof DETECTION_CLASSES)[number];
export const DetectionClassSchema = StringEnum(DETECTION_CLASSES, { description: 'What was recognised' });

export const INCIDENT_SOURCES = ['camera', 'traffic'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'assigned', 'cleared'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Why an incident was cleared: by an operator, as a false alarm, or because detections stopped. */
export const INCIDENT_CLEARED_REASONS = ['resolved', 'false-alarm', 'expired'] as const;
export type IncidentClearedReason = (typeof INCIDENT_CLEARED_REASONS)[number];

export const CAMERA_STATUSES = ['online', 'offline'] as const;
export type CameraStatus = (typeof CAMERA_STATUSES)[number];

export const CONGESTION_LEVELS = ['free', 'slow', 'congested', 'jammed'] as const;
export type CongestionLevel = (typeof CONGESTION_LEVELS)[number];

/** What a KPI value is broken down by; `city` is the whole deployment. */
export const KPI_DIMENSION_KINDS = ['city', 'unit', 'agency', 'category', 'channel', 'sector'] as const;
export type KpiDimensionKind = (typeof KPI_DIMENSION_KINDS)[number];

/**
 * Calendar periods a KPI value covers, bucketed by event time; day and longer start at local midnight in the
 * city's time zone (docs/architecture.md, "Time").
 */
export const KPI_PERIODS = ['hour', 'day', 'month', 'quarter', 'year'] as const;
export type KpiPeriod = (typeof KPI_PERIODS)[number];

/** Standing of a KPI against its target, judged on the value projected to the end of its period. */
export const KPI_STATUSES = ['on-track', 'at-risk', 'off-track'] as const;
export type KpiStatus = (typeof KPI_STATUSES)[number];

/** Whether a KPI should reach its target (`at-least`) or stay under it (`at-most`). */
export const KPI_DIRECTIONS = ['at-least', 'at-most'] as const;
export type KpiDirection = (typeof KPI_DIRECTIONS)[number];

export const KpiDimensionSchema = Type.Object(
  {
    kind: StringEnum(KPI_DIMENSION_KINDS, { description: 'What the value is broken down by' }),
    code: Identifier('Code of the unit, agency, category, channel or sector; the city code for `city`'),
  },
  { description: 'The slice of the city a KPI value describes', additionalProperties: false },
);
