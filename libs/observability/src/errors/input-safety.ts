import type { FieldError } from './ioc-error';

/**
 * How deep a request's values may nest. Our DTOs and events nest a few levels; a deeper value is hostile, and
 * recursive code further on (class-transformer, the validation pipe, `JSON.stringify`) would run out of stack
 * on one nested a few thousand levels.
 */
export const MAX_INPUT_DEPTH = 64;

// U+0000 cannot be stored in a PostgreSQL `text` column, and an unpaired UTF-16 surrogate has no UTF-8 form
// (the driver would silently store U+FFFD instead).
// eslint-disable-next-line no-control-regex -- U+0000 is what it looks for
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `text` holds a character no text column can store: U+0000 or an unpaired surrogate. */
export function hasUnstorableText(text: string): boolean {
  return UNSTORABLE_TEXT.test(text);
}

/**
 * Property names that reach the prototype chain. JSON.parse makes them plain own properties, but code that
 * copies or merges objects may treat `__proto__` as the prototype, and a shadowed `hasOwnProperty` or
 * `constructor` breaks the code that calls it. No DTO or event of ours uses one.
 */
function isPrototypeKey(key: string): boolean {
  return key === 'prototype' || Object.prototype.hasOwnProperty.call(Object.prototype, key);
}

/**
 * The fields of a request value (body, query or path parameter) that no service should see: text with U+0000
 * or an unpaired surrogate, prototype property names, and nesting deeper than {@link MAX_INPUT_DEPTH}. Walks
 * without recursion, so no value can exhaust the stack. Fields are dotted paths from `root` (`location.lat`,
 * `photos.0`); the rejected values are never copied.
 */
export function unsafeInputFields(value: unknown, root: string): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (pending.length > 0) {
    const item = pending.pop() as (typeof pending)[number];
    const field = item.path || 'body';
    if (typeof item.value === 'string') {
      if (hasUnstorableText(item.value)) {
        errors.push({ field, message: `${field} must not contain U+0000 or an unpaired surrogate` });
      }
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null || ArrayBuffer.isView(item.value)) continue;
    if (item.depth >= MAX_INPUT_DEPTH) {
      errors.push({ field, message: `${field} is nested deeper than ${MAX_INPUT_DEPTH} levels` });
      continue;
    }
    // Object.keys skips the holes of a sparse array, however large its length.
    for (const key of Object.keys(item.value)) {
      const path = item.path ? `${item.path}.${printable(key)}` : printable(key);
      if (hasUnstorableText(key)) {
        errors.push({
          field: path,
          message: `property name must not contain U+0000 or an unpaired surrogate`,
        });
      } else if (isPrototypeKey(key)) {
        errors.push({ field: path, message: `property ${key} should not exist` });
      } else {
        const child = (item.value as Record<string, unknown>)[key];
        pending.push({ value: child, path, depth: item.depth + 1 });
      }
    }
  }
  return errors;
}

/** A property name fit to be quoted in an error: unstorable characters as `\uXXXX` escapes. */
function printable(key: string): string {
  return hasUnstorableText(key)
    ? key.replace(
        // eslint-disable-next-line no-control-regex -- U+0000 is what it escapes
        /\u0000|[\uD800-\uDFFF]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
      )
    : key;
}
