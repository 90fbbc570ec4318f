import { IocError } from '@ioc/observability';

/** What kind of problem a data folder has; stable, so tools and tests match on it. */
export type ReferenceDataProblemCode =
  | 'FILE_MISSING'
  | 'FILE_UNREADABLE'
  | 'FILE_TOO_LARGE'
  | 'INVALID_JSON'
  | 'SCHEMA'
  | 'INVALID_GEOMETRY'
  | 'INVALID_VALIDITY'
  | 'OVERLAPPING_VALIDITY'
  | 'INVALID_HIERARCHY'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_REFERENCE'
  | 'CIRCULAR_REFERENCE'
  | 'AMBIGUOUS_RULE'
  | 'MISSING_FALLBACK_RULE'
  | 'OUTSIDE_CITY'
  | 'OUTSIDE_UNIT';

/** One problem in one file: `path` names the item and field, e.g. `[3].sla.ackWithin` (empty for the whole file). */
export interface ReferenceDataProblem {
  readonly code: ReferenceDataProblemCode;
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

const LISTED_IN_MESSAGE = 20;

/** Formats a problem as `file[3].field: message`. */
export function describeProblem(problem: ReferenceDataProblem): string {
  const where = problem.path === '' || problem.path.startsWith('[') ? problem.path : `.${problem.path}`;
  return `${problem.file}${where}: ${problem.message}`;
}

/**
 * A city's data folder cannot be loaded. `problems` lists every problem found; the message names the
 * first ones with file, item index and field, so a seed that fails says exactly what to fix.
 */
export class ReferenceDataError extends IocError {
  readonly kind = 'internal';
  readonly problems: readonly ReferenceDataProblem[];

  constructor(dir: string, problems: readonly ReferenceDataProblem[]) {
    const listed = problems.slice(0, LISTED_IN_MESSAGE).map(describeProblem);
    const more =
      problems.length > LISTED_IN_MESSAGE ? `; and ${problems.length - LISTED_IN_MESSAGE} more` : '';
    super(
      `Invalid reference data in ${dir} (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${listed.join('; ')}${more}`,
      'REFERENCE_DATA.INVALID',
      { details: { dir, problems } },
    );
    this.problems = problems;
  }
}

/** A text is not an ISO 8601 duration this lib accepts (see {@link parseIsoDuration}). */
export class InvalidDurationError extends IocError {
  readonly kind = 'validation';

  constructor(text: string, reason: string) {
    super(
      `Invalid ISO 8601 duration ${JSON.stringify(text.slice(0, 40))}: ${reason}`,
      'REFERENCE_DATA.INVALID_DURATION',
    );
  }
}
