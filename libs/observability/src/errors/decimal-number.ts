import { Transform } from 'class-transformer';

// A JSON number as RFC 8259 §6 writes it: no hex, no leading zeros or plus sign, no empty string, no spaces.
const DECIMAL = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** The number a query or form string spells in decimal, or undefined when it spells none. */
export function decimalNumber(text: string): number | undefined {
  return DECIMAL.test(text) ? Number(text) : undefined;
}

/**
 * Reads a query or form field as a decimal number; any other text is left as it is, for `@IsNumber()` or
 * `@IsInt()` to refuse. `@Type(() => Number)` would take `0x14` as 20, `0b11` as 3, `' 7 '` as 7 and
 * `''` as 0.
 * A number (from a JSON body) passes unchanged.
 */
export function DecimalNumber(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (decimalNumber(value) ?? value) : value,
  );
}
