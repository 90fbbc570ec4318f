import type { z } from 'zod';
import type { CityData } from './city-data';
import { buildCityData, type ParsedFiles } from './loader/build-city-data';
import { checkIntegrity } from './loader/check-integrity';
import { CITY_DATA_FILES } from './loader/city-data-files';
import { deepFreeze } from './loader/deep-freeze';
import { readJsonFile } from './loader/read-json-file';
import {
  ReferenceDataError,
  type ReferenceDataProblem,
  type ReferenceDataProblemCode,
} from './reference-data.errors';
import { adminUnitsSchema } from './schemas/admin-units.schema';
import { agenciesSchema } from './schemas/agencies.schema';
import { camerasSchema } from './schemas/cameras.schema';
import { categoriesSchema } from './schemas/categories.schema';
import { citySchema } from './schemas/city.schema';
import { kpisSchema } from './schemas/kpis.schema';
import { roadSegmentsSchema } from './schemas/road-segments.schema';
import { routingRulesSchema } from './schemas/routing-rules.schema';

/** Options of {@link loadCityData}. */
export interface LoadCityDataOptions {
  /** Largest file accepted, in bytes (default 16 MiB); checked before a file is read. */
  readonly maxFileBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

const SCHEMAS: { readonly [K in keyof ParsedFiles]: z.ZodType<ParsedFiles[K]> } = {
  city: citySchema,
  adminUnits: adminUnitsSchema,
  agencies: agenciesSchema,
  categories: categoriesSchema,
  routingRules: routingRulesSchema,
  cameras: camerasSchema,
  roadSegments: roadSegmentsSchema,
  kpis: kpisSchema,
};

/**
 * Loads a city's reference data from its folder (e.g. `data/cities/hai-phong`): reads every file of
 * {@link CITY_DATA_FILES}, validates each against its schema, then checks references between them,
 * unit versions and parents, and that cameras and road segments lie in their units.
 * Pure apart from reading the files; each service's seed upserts the parts it owns.
 * @returns the data, deeply frozen
 * @throws ReferenceDataError listing every problem with its file, item index and field
 */
export async function loadCityData(dir: string, options: LoadCityDataOptions = {}): Promise<CityData> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const keys = Object.keys(CITY_DATA_FILES) as (keyof ParsedFiles)[];
  const reads = await Promise.all(keys.map((key) => readJsonFile(dir, CITY_DATA_FILES[key], maxBytes)));

  const problems: ReferenceDataProblem[] = [];
  const parsed: Partial<Record<keyof ParsedFiles, unknown>> = {};
  keys.forEach((key, index) => {
    const read = reads[index];
    if (!read.ok) {
      problems.push(read.problem);
      return;
    }
    const result = SCHEMAS[key].safeParse(read.value);
    if (result.success) parsed[key] = result.data;
    else problems.push(...result.error.issues.map((issue) => toProblem(CITY_DATA_FILES[key], issue)));
  });
  // Cross-file checks assume every file has its shape; problems so far are reported alone.
  if (problems.length > 0) throw new ReferenceDataError(dir, problems);

  const data = buildCityData(parsed as ParsedFiles);
  const integrity = checkIntegrity(data);
  if (integrity.length > 0) throw new ReferenceDataError(dir, integrity);
  return deepFreeze(data);
}

function toProblem(file: string, issue: z.core.$ZodIssue): ReferenceDataProblem {
  const problem =
    issue.code === 'custom' ? (issue.params?.['problem'] as ReferenceDataProblemCode | undefined) : undefined;
  return { code: problem ?? 'SCHEMA', file, path: formatPath(issue.path), message: issue.message };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
