import {
  createEvent,
  type DetectionClass,
  type EventType,
  EventTypes,
  InvalidEventError,
} from '@ioc/contracts';
import { createHash } from 'node:crypto';
import type { DecodedHttpEvent } from '../cloudevents/cloudevents-http.codec';

/** The CloudEvents `source` of events mapped from NGSI-LD notifications. */
export const NGSI_LD_SOURCE = '/ioc/intake/ngsi-ld';

/** Stable reasons of an entity that could not be mapped (returned per entity, like event validation). */
export const NgsiFailureReasons = {
  notEntity: 'ngsi.not_an_entity',
  typeUnsupported: 'ngsi.type_unsupported',
  idConvention: 'ngsi.id_convention',
  attributeMissing: 'ngsi.attribute_missing',
  attributeInvalid: 'ngsi.attribute_invalid',
  cameraUnnamed: 'ngsi.camera_unnamed',
} as const;

/** The entity types mapped, with the event type each becomes. */
export const NGSI_ENTITY_TYPES = {
  TrafficFlowObserved: EventTypes.trafficObservation,
  Alert: EventTypes.cameraDetection,
  Device: EventTypes.cameraHeartbeat,
} as const satisfies Record<string, EventType>;
type NgsiEntityType = keyof typeof NGSI_ENTITY_TYPES;

/**
 * Alert `subCategory` (FIWARE smart data model Alert, categories traffic, security, weather, naturalDisaster) →
 * detection class. Any other sub-category is still a detection, of class `other`.
 */
const DETECTION_CLASS_BY_SUBCATEGORY: Readonly<Record<string, DetectionClass>> = {
  trafficJam: 'congestion',
  carAccident: 'accident',
  carWrongDirection: 'wrong-way',
  carStopped: 'illegal-parking',
  flood: 'flooding',
  buildingFire: 'fire-smoke',
  forestFire: 'fire-smoke',
  civilDisorder: 'crowd',
};

/** Device `deviceState` values that mean "working"; the model leaves the vocabulary open. */
const HEALTHY_DEVICE_STATES = new Set(['ok', 'on', 'active', 'connected', 'online', 'green', 'working']);

type Entity = Record<string, unknown>;
type NamedEntity = Entity & { id: string };

/** The entities of a notification, or undefined when the body is not an NGSI-LD notification. */
export function notificationEntities(body: unknown): unknown[] | undefined {
  if (!isObject(body) || !Array.isArray(body.data)) return undefined;
  return body.data;
}

/**
 * Maps one NGSI-LD entity, in normalized or keyValues representation, onto an IOC event. Our ids are the last part
 * of the NGSI-LD URNs (`urn:ngsi-ld:Device:<cameraId>`, `urn:ngsi-ld:RoadSegment:<segmentId>`). The event id is
 * derived from the entity id and its observation time, so a context broker re-sending a notification produces the
 * same event ids, which the consumers deduplicate.
 */
export function mapEntity(raw: unknown): DecodedHttpEvent {
  try {
    if (!isObject(raw) || typeof raw.id !== 'string') {
      throw new MappingFailure(NgsiFailureReasons.notEntity, 'an entity needs an id and a type');
    }
    const entity: NamedEntity = { ...raw, id: raw.id };
    switch (supportedType(raw.type)) {
      case 'TrafficFlowObserved':
        return { ok: true, event: trafficObservation(entity) };
      case 'Alert':
        return { ok: true, event: detection(entity) };
      case 'Device':
        return { ok: true, event: heartbeat(entity) };
    }
  } catch (error) {
    if (error instanceof MappingFailure) return { ok: false, reason: error.reason, detail: error.message };
    if (error instanceof InvalidEventError) return { ok: false, reason: error.reason, detail: error.detail };
    throw error;
  }
}

function trafficObservation(entity: NamedEntity) {
  const segment = relationshipOf(entity, 'refRoadSegment');
  if (segment === undefined) missing('refRoadSegment');
  const segmentId = idFromUrn(segment, 'RoadSegment', 'refRoadSegment');
  const from = optionalDate(entity, 'dateObservedFrom');
  const observedAt = optionalDate(entity, 'dateObservedTo') ?? intervalEnd(entity);
  const speedKmh = requiredNumber(entity, 'averageVehicleSpeed');
  const intensity = optionalNumber(entity, 'intensity');
  const occupancy = optionalNumber(entity, 'occupancy');
  // `intensity` counts vehicles over the observation period; our contract carries a rate per hour, which needs
  // the period's length.
  const periodMs = from === undefined ? undefined : Date.parse(observedAt) - Date.parse(from);
  const volumeVehPerHour =
    intensity !== undefined && periodMs !== undefined && periodMs > 0
      ? (intensity * 3_600_000) / periodMs
      : undefined;
  return createEvent(EventTypes.trafficObservation, {
    id: eventId(entity.id, observedAt),
    source: NGSI_LD_SOURCE,
    subject: segmentId,
    time: observedAt,
    data: {
      segmentId,
      observedAt,
      speedKmh,
      ...(volumeVehPerHour === undefined ? {} : { volumeVehPerHour }),
      // The smart data model's occupancy is a fraction (0 to 1); ours is a percentage.
      ...(occupancy === undefined ? {} : { occupancyPct: occupancy * 100 }),
    },
  });
}

// An Alert is a conclusion its source already drew, unless the vendor passes its model's score.
const FULL_CONFIDENCE = 1;

function detection(entity: NamedEntity) {
  const sourceRef = relationshipOf(entity, 'alertSource');
  if (sourceRef === undefined || !sourceRef.startsWith('urn:ngsi-ld:Device:')) {
    throw new MappingFailure(
      NgsiFailureReasons.cameraUnnamed,
      'alertSource must name the camera as urn:ngsi-ld:Device:<cameraId>',
    );
  }
  const cameraId = idFromUrn(sourceRef, 'Device', 'alertSource');
  const observedAt =
    optionalDate(entity, 'dateIssued') ?? optionalDate(entity, 'validFrom') ?? missing('dateIssued');
  const category = requiredString(entity, 'category');
  const subCategory = optionalString(entity, 'subCategory');
  const severity = optionalString(entity, 'severity');
  const data = valueOf(entity, 'data');
  const confidence =
    isObject(data) && typeof data.confidence === 'number' ? data.confidence : FULL_CONFIDENCE;
  return createEvent(EventTypes.cameraDetection, {
    id: eventId(entity.id, observedAt),
    source: NGSI_LD_SOURCE,
    subject: cameraId,
    time: observedAt,
    data: {
      cameraId,
      class: (subCategory && DETECTION_CLASS_BY_SUBCATEGORY[subCategory]) || 'other',
      confidence,
      observedAt,
      attributes: {
        ngsiCategory: category,
        ...(subCategory === undefined ? {} : { ngsiSubCategory: subCategory }),
        ...(severity === undefined ? {} : { ngsiSeverity: severity }),
      },
    },
  });
}

function heartbeat(entity: NamedEntity) {
  const cameraId = idFromUrn(entity.id, 'Device', 'id');
  const observedAt = requiredDate(entity, 'dateLastValueReported');
  const state = optionalString(entity, 'deviceState');
  const firmware = optionalString(entity, 'firmwareVersion');
  return createEvent(EventTypes.cameraHeartbeat, {
    id: eventId(entity.id, observedAt),
    source: NGSI_LD_SOURCE,
    subject: cameraId,
    time: observedAt,
    data: {
      cameraId,
      observedAt,
      ...(state === undefined
        ? {}
        : { status: HEALTHY_DEVICE_STATES.has(state.toLowerCase()) ? 'ok' : 'degraded' }),
      ...(firmware === undefined ? {} : { firmware }),
    },
  });
}

// Short names as compacted with the smart data models' @context, or their expanded URIs.
function supportedType(type: unknown): NgsiEntityType {
  const names = (Array.isArray(type) ? type : [type])
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.split(/[/#]/).pop() ?? t);
  const found = names.find((name): name is NgsiEntityType => Object.hasOwn(NGSI_ENTITY_TYPES, name));
  if (found === undefined) {
    throw new MappingFailure(
      NgsiFailureReasons.typeUnsupported,
      `entity type must be one of ${Object.keys(NGSI_ENTITY_TYPES).join(', ')}`,
    );
  }
  return found;
}

/**
 * The value of an attribute in either representation: keyValues gives it bare, normalized as
 * `{ type: 'Property', value }` (a DateTime as `{ '@type': 'DateTime', '@value' }`) or
 * `{ type: 'Relationship', object }`.
 */
function valueOf(entity: Entity, name: string): unknown {
  const attribute = entity[name];
  if (isObject(attribute) && (attribute.type === 'Property' || attribute.type === 'GeoProperty')) {
    return unwrapDateTime(attribute.value);
  }
  if (isObject(attribute) && attribute.type === 'Relationship') return attribute.object;
  return unwrapDateTime(attribute);
}

function unwrapDateTime(value: unknown): unknown {
  return isObject(value) && value['@type'] === 'DateTime' ? value['@value'] : value;
}

function relationshipOf(entity: Entity, name: string): string | undefined {
  const value = valueOf(entity, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') invalid(name, 'must be an entity URN');
  return value;
}

function idFromUrn(urn: string, type: string, attribute: string): string {
  const prefix = `urn:ngsi-ld:${type}:`;
  if (!urn.startsWith(prefix) || urn.length === prefix.length) {
    throw new MappingFailure(NgsiFailureReasons.idConvention, `${attribute} must be ${prefix}<id>`);
  }
  return urn.slice(prefix.length);
}

function requiredNumber(entity: Entity, name: string): number {
  const value = optionalNumber(entity, name);
  if (value === undefined) missing(name);
  return value;
}

function optionalNumber(entity: Entity, name: string): number | undefined {
  const value = valueOf(entity, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(name, 'must be a number');
  return value;
}

function requiredString(entity: Entity, name: string): string {
  const value = optionalString(entity, name);
  if (value === undefined) missing(name);
  return value;
}

function optionalString(entity: Entity, name: string): string | undefined {
  const value = valueOf(entity, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') invalid(name, 'must be a string');
  return value;
}

function requiredDate(entity: Entity, name: string): string {
  const value = optionalDate(entity, name);
  if (value === undefined) missing(name);
  return value;
}

function optionalDate(entity: Entity, name: string): string | undefined {
  const value = optionalString(entity, name);
  if (value === undefined) return undefined;
  return instant(value, name);
}

// `dateObserved` is a date-time or an ISO 8601 interval `start/end`; the contract wants the interval's end.
function intervalEnd(entity: Entity): string {
  const value = requiredString(entity, 'dateObserved');
  const parts = value.split('/');
  return instant(parts[parts.length - 1], 'dateObserved');
}

// Only full date-times with an offset: a local time would be read in the server's zone (docs/architecture.md, "Time").
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(text: string, name: string): string {
  const time = DATE_TIME.test(text) ? new Date(text) : undefined;
  if (time === undefined || Number.isNaN(time.getTime())) invalid(name, 'must be an ISO 8601 date-time');
  return time.toISOString();
}

function eventId(entityId: string, observedAt: string): string {
  return `ngsi-${createHash('sha256').update(`${entityId}\n${observedAt}`).digest('hex').slice(0, 32)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class MappingFailure extends Error {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(detail);
  }
}

function missing(name: string): never {
  throw new MappingFailure(NgsiFailureReasons.attributeMissing, `${name} is required`);
}

function invalid(name: string, problem: string): never {
  throw new MappingFailure(NgsiFailureReasons.attributeInvalid, `${name} ${problem}`);
}
