import type { AuthEnv } from '@ioc/auth';
import { loadConfig } from '@ioc/observability';
import path from 'node:path';
import { z } from 'zod';

/** What the wall module needs of the gateway's config, and where the city's reference data is. */
export interface WallOptions {
  authMode: AuthEnv['AUTH_MODE'];
  nodeEnv: string;
  devKeysDir: string;
  issuer?: string;
  audience?: string;
  cityDataDir: string;
}

export const WALL_OPTIONS = Symbol('WALL_OPTIONS');
export const WALL_CITY = Symbol('WALL_CITY');

/**
 * The city data folder, read as the seed commands read it (`CITY_DATA_DIR`, default `data/cities/hai-phong`, from
 * the working directory), since the gateway's own settings do not name it.
 */
const cityDataEnv = z.object({
  /** The city's reference data folder (docs/architecture.md, "Reference data is data"). */
  CITY_DATA_DIR: z.string().min(1).default('data/cities/hai-phong'),
});

export function wallOptionsOf(
  config: Pick<AuthEnv, 'AUTH_MODE' | 'AUTH_DEV_KEYS_DIR' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE'> & {
    NODE_ENV: string;
  },
  env: NodeJS.ProcessEnv = process.env,
): WallOptions {
  return {
    authMode: config.AUTH_MODE,
    nodeEnv: config.NODE_ENV,
    devKeysDir: config.AUTH_DEV_KEYS_DIR,
    ...(config.AUTH_ISSUER === undefined ? {} : { issuer: config.AUTH_ISSUER }),
    ...(config.AUTH_AUDIENCE?.[0] === undefined ? {} : { audience: config.AUTH_AUDIENCE[0] }),
    cityDataDir: path.resolve(loadConfig(cityDataEnv, env).CITY_DATA_DIR),
  };
}
