import { IocError } from '../errors/ioc-error';

/**
 * The environment does not satisfy a service's config schema. The message names every bad or
 * missing variable and why, never its value (secrets such as DATABASE_URL carry passwords).
 */
export class ConfigError extends IocError {
  readonly kind = 'internal';
  readonly problems: readonly string[];

  constructor(problems: readonly string[], variables: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`, 'CONFIG.INVALID', { details: { variables } });
    this.problems = problems;
  }
}
