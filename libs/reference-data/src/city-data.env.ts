import { z } from 'zod';

/**
 * Where a process finds its city's reference data (docs/architecture.md, "Reference data is data"): the seed
 * commands, the gateway (the wall's map) and the simulator read the same setting, relative to the working directory.
 */
export const cityDataEnv = z.object({
  /** The city's reference-data folder; the services must be seeded with the same one. */
  CITY_DATA_DIR: z.string().min(1).default('data/cities/hai-phong'),
});
