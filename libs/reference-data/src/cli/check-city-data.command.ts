import { ADMIN_HIERARCHIES, type CityData } from '../city-data';
import { loadCityData } from '../load-city-data';
import { describeProblem, ReferenceDataError } from '../reference-data.errors';

export const CHECK_USAGE = `Checks a city's reference data folder the way the seeds load it, and prints what it holds.

Usage: npx tsx libs/reference-data/src/cli/check-city-data.cli.ts <folder>   e.g. data/cities/hai-phong`;

/** Runs the check; resolves to the exit code: 0 valid, 1 invalid data, 2 wrong usage. */
export async function checkCityDataCommand(
  args: readonly string[],
  print: (line: string) => void,
): Promise<number> {
  if (args.length !== 1 || args[0].startsWith('-')) {
    print(CHECK_USAGE);
    return 2;
  }
  try {
    print(summarize(await loadCityData(args[0])));
    return 0;
  } catch (error) {
    if (!(error instanceof ReferenceDataError)) throw error;
    print(`${args[0]}: ${error.problems.length} problem(s)`);
    for (const problem of error.problems) print(`  ${problem.code}  ${describeProblem(problem)}`);
    return 1;
  }
}

function summarize(data: CityData): string {
  const byHierarchy = ADMIN_HIERARCHIES.map(
    (hierarchy) => `${hierarchy}: ${data.adminUnits.filter((unit) => unit.hierarchy === hierarchy).length}`,
  );
  return [
    `${data.city.code} (${data.city.names.en}, ${data.city.timezone}) is valid:`,
    `${data.adminUnits.length} administrative units (${byHierarchy.join(', ')})`,
    `${data.agencies.length} agencies`,
    `${data.categories.length} categories`,
    `${data.routingRules.length} routing rules`,
    `${data.cameras.length} cameras`,
    `${data.roadSegments.length} road segments`,
    `${data.kpis.length} KPIs`,
  ].join('\n  ');
}
