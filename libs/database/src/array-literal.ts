/** An element of {@link pgArrayLiteral}: `null` and `undefined` are SQL NULL. */
export type ArrayElement = string | number | boolean | null | undefined;

// An element needs quotes when empty, when it holds a delimiter, a quote, a backslash or white space, or when it
// reads NULL (docs/architecture.md, "Set-wise writes").
const PLAIN = /^[^\s{}",\\]+$/;

/**
 * The Postgres array literal of `values`, for a `$n::type[]` parameter: the column arrays a set-wise write passes
 * through `unnest`. It reads back as the same elements. node-postgres builds such a literal from a JS array itself,
 * through several strings per element (the element's text, two escapes, the quoted copy, the growing literal); on
 * the paths that write a row per event this builds each element once and joins them.
 */
export function pgArrayLiteral(values: readonly ArrayElement[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) parts[i] = 'NULL';
    else if (typeof value === 'string') parts[i] = element(value);
    // String(-0) is "0".
    else parts[i] = Object.is(value, -0) ? '-0' : String(value);
  }
  return `{${parts.join(',')}}`;
}

function element(text: string): string {
  if (PLAIN.test(text) && !(text.length === 4 && text.toUpperCase() === 'NULL')) return text;
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}
