import type { AuthEnv } from '@ioc/auth';
import path from 'node:path';

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

export function wallOptionsOf(
  config: Pick<AuthEnv, 'AUTH_MODE' | 'AUTH_DEV_KEYS_DIR' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE'> & {
    NODE_ENV: string;
    CITY_DATA_DIR: string;
  },
): WallOptions {
  return {
    authMode: config.AUTH_MODE,
    nodeEnv: config.NODE_ENV,
    devKeysDir: config.AUTH_DEV_KEYS_DIR,
    ...(config.AUTH_ISSUER === undefined ? {} : { issuer: config.AUTH_ISSUER }),
    ...(config.AUTH_AUDIENCE?.[0] === undefined ? {} : { audience: config.AUTH_AUDIENCE[0] }),
    cityDataDir: path.resolve(config.CITY_DATA_DIR),
  };
}
