import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { formatDuration } from './duration';

/** One environment variable of a config schema, as a README's settings table shows it. */
export interface EnvSetting {
  readonly name: string;
  /** How to write the default in the environment (`7d`, `RS256,ES256`); absent when there is none. */
  readonly default?: string;
  /** Neither a default nor optional: the service does not start without it. */
  readonly required: boolean;
  /** What a value must be, in the words of the schema's own error messages where it has them. */
  readonly rule: string;
}

// Values that the env helpers refuse with their predicate message ("must be an integer between 1 and 65535"):
// the empty string fails every helper, and `x` fails the lists whose items are checked one by one.
const PROBES = ['', 'x'];
// env.ts phrases its messages as predicates, which loadConfig prefixes with the variable's name; zod's own
// ("Too small: expected …") are not worth quoting.
const PREDICATE = /^(must|is|should) /;
const LONGEST_DEFAULT = 60;

/**
 * The settings of an app's environment schema, in the schema's order: each variable's default written as the
 * environment would spell it (checked by parsing it back), whether it is required, and its rule (the
 * schema's error messages, cross-field refinements included).
 */
export function describeEnv(schema: z.ZodObject): EnvSetting[] {
  const crossField = crossFieldRules(schema);
  return Object.entries(schema.shape).map(([name, field]) => {
    const { inner, defaultValue, hasDefault, optional } = unwrap(field as z.ZodType);
    const rules = [...ownRules(inner), ...(crossField.get(name) ?? [])];
    return {
      name,
      ...(hasDefault ? { default: spellDefault(name, inner, defaultValue) } : {}),
      required: !hasDefault && !optional,
      rule: rules.join('; '),
    };
  });
}

/**
 * A Markdown table of `settings` (variable, default, rule, meaning); `meanings` come from elsewhere, e.g. the
 * TSDoc of each variable in the app's `config.ts`. Not aligned: run it through Prettier to align it.
 */
export function settingsTable(
  settings: readonly EnvSetting[],
  meanings: Readonly<Record<string, string>> = {},
): string {
  const rows = settings.map((setting) => [
    code(setting.name),
    setting.default === undefined
      ? setting.required
        ? '— (required)'
        : 'unset'
      : setting.default.length > LONGEST_DEFAULT
        ? 'built in (see `config.ts`)'
        : code(setting.default),
    setting.rule,
    meanings[setting.name] ?? '',
  ]);
  return [['variable', 'default', 'rule', 'meaning'], ['---', '---', '---', '---'], ...rows]
    .map((cells) => `| ${cells.map(cell).join(' | ')} |`)
    .join('\n');
}

function unwrap(field: z.ZodType): {
  inner: z.ZodType;
  defaultValue: unknown;
  hasDefault: boolean;
  optional: boolean;
} {
  let inner = field;
  let hasDefault = false;
  let optional = false;
  let defaultValue: unknown;
  for (;;) {
    if (inner instanceof z.ZodDefault) {
      hasDefault = true;
      defaultValue = inner.def.defaultValue;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodOptional) {
      optional = true;
      inner = inner.unwrap() as z.ZodType;
    } else {
      return { inner, defaultValue, hasDefault, optional };
    }
  }
}

function ownRules(inner: z.ZodType): string[] {
  const messages = new Set<string>();
  for (const probe of PROBES) {
    const result = inner.safeParse(probe);
    if (result.success) continue;
    for (const issue of result.error.issues) if (PREDICATE.test(issue.message)) messages.add(issue.message);
  }
  if (messages.size > 0) return [...messages];
  const rule = jsonSchemaRule(z.toJSONSchema(inner, { io: 'input', unrepresentable: 'any' }));
  return rule ? [rule] : [];
}

function jsonSchemaRule(json: Record<string, unknown>): string | undefined {
  if (Array.isArray(json.enum)) return `must be one of ${json.enum.join(', ')}`;
  if (json.type === 'number' || json.type === 'integer') {
    const noun = json.type === 'integer' ? 'an integer' : 'a number';
    const { minimum: min, maximum: max, exclusiveMinimum: above, exclusiveMaximum: below } = json;
    if (min !== undefined && max !== undefined) return `must be ${noun} between ${min} and ${max}`;
    const bounds = [
      min !== undefined ? `at least ${min}` : above !== undefined ? `above ${above}` : undefined,
      max !== undefined ? `at most ${max}` : below !== undefined ? `below ${below}` : undefined,
    ].filter((bound) => bound !== undefined);
    return bounds.length > 0 ? `must be ${noun} ${bounds.join(' and ')}` : `must be ${noun}`;
  }
  if (json.type === 'string') {
    if (typeof json.pattern === 'string') return `must match \`/${json.pattern}/\``;
    if (typeof json.minLength === 'number' && json.minLength > 0) return 'must not be empty';
  }
  return undefined;
}

// Refinements of the whole object that name one variable (`path: ['AUTH_JWKS_URL']`), e.g. "is required when
// AUTH_MODE=jwks"; their message is all a reader needs of them.
function crossFieldRules(schema: z.ZodObject): Map<string, string[]> {
  const rules = new Map<string, string[]>();
  for (const check of schema.def.checks ?? []) {
    const def = check._zod.def as { path?: PropertyKey[]; error?: (issue: unknown) => unknown };
    const name = def.path?.[0];
    if (typeof name !== 'string' || typeof def.error !== 'function') continue;
    const error = def.error({ code: 'custom', path: def.path, input: undefined });
    const message = typeof error === 'string' ? error : (error as { message?: unknown } | undefined)?.message;
    if (typeof message === 'string') rules.set(name, [...(rules.get(name) ?? []), message]);
  }
  return rules;
}

/** The environment spelling of a default value: the first candidate that parses back to it. */
function spellDefault(name: string, inner: z.ZodType, value: unknown): string {
  const candidates: string[] = [];
  if (typeof value === 'number') {
    candidates.push(formatDuration(value), String(value));
  } else if (typeof value === 'string' || typeof value === 'boolean') {
    candidates.push(String(value));
  } else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    candidates.push(value.join(','));
  }
  candidates.push(JSON.stringify(value));
  const spelling = candidates.find((candidate) => {
    const parsed = inner.safeParse(candidate);
    return parsed.success && isDeepStrictEqual(parsed.data, value);
  });
  if (spelling === undefined) throw new Error(`${name}: no environment value parses to its default`);
  return spelling;
}

function code(text: string): string {
  return `\`${text}\``;
}

function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}
