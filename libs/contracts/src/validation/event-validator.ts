import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type { Static, TSchema } from '@sinclair/typebox';
import addFormats from 'ajv-formats';

import { EVENT_SCHEMAS, type EventDataMap } from '../events/event-schemas';
import { isEventType, type EventType } from '../events/event-types';
import { IocEventEnvelopeSchema } from '../envelope/envelope.schema';
import { UNSTORABLE_CHARACTERS } from '../events/schemas/common.schemas';
import type { IocEvent, KnownIocEvent } from '../envelope/ioc-event';
import { checkedPayload } from '../envelope/checked-events';
import { dateTimeFormat } from './date-time-format';

/** Why an event's data was refused; stable codes, e.g. for dead-letter headers. */
export const ValidationFailureReasons = {
  typeUnknown: 'type.unknown',
  schemaInvalid: 'schema.invalid',
} as const;
export type ValidationFailureReason =
  (typeof ValidationFailureReasons)[keyof typeof ValidationFailureReasons];

/** A refusal: a stable reason and a detail naming JSON paths and rules, never the values (privacy rule). */
export interface ValidationFailure {
  ok: false;
  reason: ValidationFailureReason;
  detail: string;
}

// Compiled once, when the module loads: validation runs for every consumed message.
// strictRequired is off because the incident schemas' if/then require properties declared by the parent object.
// verbose gives a failure its schema, to word the SafeString rule's refusal (and costs nothing on success).
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, verbose: true });
addFormats(ajv);
// The same check as ajv-formats' date-time, faster on the form every event's time takes.
ajv.addFormat('date-time', dateTimeFormat);

const dataValidators = new Map<string, ValidateFunction>(
  Object.entries(EVENT_SCHEMAS).map(([type, schema]) => [type, ajv.compile(schema)]),
);
const envelopeValidator = ajv.compile(IocEventEnvelopeSchema);

/** Validates `data` against the schema of `type`. */
export function validateEventData<K extends EventType>(
  type: K,
  data: unknown,
): { ok: true; data: EventDataMap[K] } | ValidationFailure;
export function validateEventData(
  type: string,
  data: unknown,
): { ok: true; data: unknown } | ValidationFailure;
export function validateEventData(
  type: string,
  data: unknown,
): { ok: true; data: unknown } | ValidationFailure {
  const validate = dataValidators.get(type);
  if (!validate) {
    return {
      ok: false,
      reason: ValidationFailureReasons.typeUnknown,
      detail: 'event type is not in the contract',
    };
  }
  if (!validate(data)) {
    return {
      ok: false,
      reason: ValidationFailureReasons.schemaInvalid,
      detail: describeErrors(validate.errors),
    };
  }
  return { ok: true, data };
}

/**
 * Validates a decoded event's data against the schema its `type` names. On success the event is returned typed,
 * so a consumer can `switch (event.type)` and get the matching data type. An event createEvent checked passes
 * without a second check.
 */
export function validateEvent(event: IocEvent): { ok: true; event: KnownIocEvent } | ValidationFailure {
  if (checkedPayload(event) !== undefined) return { ok: true, event: event as KnownIocEvent };
  if (!isEventType(event.type)) {
    return {
      ok: false,
      reason: ValidationFailureReasons.typeUnknown,
      detail: 'event type is not in the contract',
    };
  }
  const result = validateEventData(event.type, event.data);
  return result.ok ? { ok: true, event: event as KnownIocEvent } : result;
}

/** Checks the CloudEvents attributes; returns a detail listing what is wrong, or `undefined` when all is well. */
export function envelopeProblems(candidate: unknown): string | undefined {
  return envelopeValidator(candidate) ? undefined : describeErrors(envelopeValidator.errors);
}

const MAX_LISTED_ERRORS = 10;

// Ajv words a failed `not` as "must NOT be valid"; for the SafeString rule, say which rule it is.
function describeRule(error: ErrorObject): string {
  const schema = error.schema as { pattern?: unknown } | undefined;
  if (error.keyword === 'not' && schema?.pattern === UNSTORABLE_CHARACTERS) {
    return 'must not contain U+0000 or an unpaired surrogate';
  }
  return error.message ?? error.keyword;
}
// A property name is echoed only when it looks like an identifier; anything else could be data.
const SAFE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const list = (errors ?? []).map((error) => {
    const extra = error.params as { additionalProperty?: unknown };
    const name =
      error.keyword === 'additionalProperties' &&
      typeof extra.additionalProperty === 'string' &&
      SAFE_NAME.test(extra.additionalProperty)
        ? ` '${extra.additionalProperty}'`
        : '';
    return `${error.instancePath || '/'} ${describeRule(error)}${name}`;
  });
  const more = list.length > MAX_LISTED_ERRORS ? `; and ${list.length - MAX_LISTED_ERRORS} more` : '';
  return list.slice(0, MAX_LISTED_ERRORS).join('; ') + more;
}

/**
 * A validator for one of the contract's other messages (such as a live subscription), compiled once with the same
 * rules and wording as the events' validators: a refusal names paths and rules, never values.
 */
export function contractValidator<S extends TSchema>(
  schema: S,
): (value: unknown) => { ok: true; data: Static<S> } | ValidationFailure {
  const validate = ajv.compile(schema);
  return (value) =>
    validate(value)
      ? { ok: true, data: value as Static<S> }
      : {
          ok: false,
          reason: ValidationFailureReasons.schemaInvalid,
          detail: describeErrors(validate.errors),
        };
}
