import { z } from 'zod';
import { ConfigError } from './config-error';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment against `schema` once at start-up (docs/architecture.md, "Config") and returns the typed
 * result. Empty values count as unset, as `FOO=` in an env file means "not configured".
 *
 * @throws ConfigError naming every bad or missing variable, without echoing any value.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.infer<S> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;

  const problems: string[] = [];
  const variables: string[] = [];
  for (const issue of result.error.issues) {
    const variable = issue.path.map(String).join('.');
    if (variable && !variables.includes(variable)) variables.push(variable);
    problems.push(describe(issue, variable, present));
  }
  throw new ConfigError(problems, variables);
}

function describe(issue: z.core.$ZodIssue, variable: string, env: Env): string {
  if (!variable) return issue.message;
  if (issue.code === 'invalid_type' && env[variable] === undefined) return `${variable} is required`;
  // Our own fragments phrase messages as predicates ("must be ..."); zod's defaults are sentences.
  return /^(must|is|should) /.test(issue.message)
    ? `${variable} ${issue.message}`
    : `${variable} is invalid (${issue.message})`;
}
