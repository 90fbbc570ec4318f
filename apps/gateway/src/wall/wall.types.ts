/**
 * The city as the wall draws it, answered by the gateway at `GET /wall/city.json` from the reference data: the
 * current administrative units (GeoJSON), road segments, cameras and the names the page shows. Public data only.
 */
export interface LocalizedName {
  vi: string;
  en: string;
}

export interface WallCity {
  city: { code: string; names: LocalizedName; centre: { lat: number; lon: number }; timezone: string };
  /** Current units as a FeatureCollection; `properties.name` is the unit code (the map's region key). */
  units: {
    type: 'FeatureCollection';
    features: {
      type: 'Feature';
      properties: { name: string; names: LocalizedName; level: string };
      geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
    }[];
  };
  segments: { id: string; names: LocalizedName; coordinates: [number, number][]; adminUnitCode: string }[];
  cameras: {
    id: string;
    names: LocalizedName;
    location: { lat: number; lon: number };
    adminUnitCode: string;
    ownerAgencyId: string;
  }[];
  agencies: { id: string; names: LocalizedName }[];
  categories: { code: string; names: LocalizedName }[];
  kpis: { code: string; names: LocalizedName; unit: string; direction: 'at-least' | 'at-most' }[];
}

/** What the page needs to know about how to log in (`GET /wall/settings`). */
export interface WallSettings {
  authMode: 'dev' | 'jwks';
  /** True when `POST /wall/dev-login` mints tokens (AUTH_MODE=dev outside production). */
  devLogin: boolean;
}

/** Roles the development login mints tokens for: the two that use the wall. */
export const DEV_LOGIN_ROLES = ['operator', 'agency'] as const;
export type DevLoginRole = (typeof DEV_LOGIN_ROLES)[number];

/** A development token (`POST /wall/dev-login`). */
export interface DevLoginAnswer {
  token: string;
  expiresAt: string;
}
