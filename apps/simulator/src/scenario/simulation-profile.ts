import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CityData } from '@ioc/reference-data';
import { z } from 'zod';

/** The file of a city's data folder that tunes the simulator; the reference-data loader does not read it. */
export const SIMULATION_PROFILE_FILE = 'simulation.json';

const kpiSeries = z.strictObject({
  /** A code of the city's `kpis.json`. */
  kpiCode: z.string().min(1),
  /** The value on day 0 of the scenario. */
  start: z.number(),
  /** How much the value moves per day (a trend: online filing rising). */
  dailyChange: z.number().default(0),
  /** Standard deviation of the day-to-day noise around the trend. */
  noise: z.number().min(0).default(0),
  min: z.number().optional(),
  max: z.number().optional(),
  /** Whole numbers (a count, a rank). */
  integer: z.boolean().default(false),
  /** The unit written into the observation (`%`, `count`, `rank`). */
  unit: z.string().min(1).max(32).optional(),
  /** Where the figure comes from, for people reading the file. */
  note: z.string().optional(),
});

const situation = z.strictObject({
  /** Categories citizens report when this situation happens, e.g. flooding → drainage. */
  categories: z.array(z.string().min(1)).default([]),
  /** Extra citizen reports each occurrence brings, on average. */
  reportsPerOccurrence: z.number().min(0).default(0),
});

/**
 * `simulation.json` of a city's data folder: what the simulator cannot read from the reference data: the
 * figures an integrator such as the public-service portal reports (KPI observations), which report categories
 * a situation on the street brings, and the weight of each category among citizens' reports. Every field is
 * optional; without the file the simulator sends no KPI observations and weighs categories equally.
 */
export const simulationProfileSchema = z.strictObject({
  note: z.string().optional(),
  kpiObservations: z
    .strictObject({
      /** The `source` of the observations: the integrator's system id. */
      source: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/)
        .default('public-service-portal'),
      /** Local time of day the portal publishes its daily figures, `HH:MM`. */
      localTime: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
        .default('07:00'),
      series: z.array(kpiSeries).default([]),
    })
    .optional(),
  situations: z
    .strictObject({
      flooding: situation.optional(),
      accident: situation.optional(),
      congestion: situation.optional(),
    })
    .default({}),
  /** Relative weight of each category among citizens' reports; a category not listed weighs 1. */
  categoryWeights: z.record(z.string(), z.number().min(0)).default({}),
});

export type SimulationProfile = z.infer<typeof simulationProfileSchema>;
export type SituationKind = keyof SimulationProfile['situations'];

/** A profile that asks for nothing beyond the reference data. */
export const EMPTY_PROFILE: SimulationProfile = simulationProfileSchema.parse({});

/**
 * Reads `simulation.json` from a city folder (the empty profile when there is none) and checks that every KPI
 * and category it names exists in the city's data.
 * @throws Error naming the file and every problem
 */
export async function loadSimulationProfile(dir: string, data: CityData): Promise<SimulationProfile> {
  const file = path.join(dir, SIMULATION_PROFILE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_PROFILE;
    throw error;
  }
  return parseSimulationProfile(text, data, file);
}

export function parseSimulationProfile(
  text: string,
  data: CityData,
  file = SIMULATION_PROFILE_FILE,
): SimulationProfile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not JSON`);
  }
  const parsed = simulationProfileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`${file}: ${problems.join('; ')}`);
  }
  const profile = parsed.data;
  const kpis = new Set(data.kpis.map((kpi) => kpi.code));
  const categories = new Set(data.categories.map((category) => category.code));
  const problems = [
    ...(profile.kpiObservations?.series ?? [])
      .filter((series) => !kpis.has(series.kpiCode))
      .map((series) => `kpiObservations.series: unknown KPI "${series.kpiCode}"`),
    ...Object.entries(profile.situations).flatMap(([kind, value]) =>
      (value?.categories ?? [])
        .filter((code) => !categories.has(code))
        .map((code) => `situations.${kind}: unknown category "${code}"`),
    ),
    ...Object.keys(profile.categoryWeights)
      .filter((code) => !categories.has(code))
      .map((code) => `categoryWeights: unknown category "${code}"`),
  ];
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return profile;
}
