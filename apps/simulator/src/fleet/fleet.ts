import type { Camera, CameraKind, CityData, GeoPoint } from '@ioc/reference-data';
import { CityModel, offsetPoint } from '../scenario/city-model';
import { Prng } from '../scenario/prng';

/** `cameras.json` items as the reference-data loader reads them. */
export interface CameraFile {
  id: string;
  names: { vi: string; en: string };
  kind: CameraKind;
  location: GeoPoint;
  adminUnitCode: string;
  ownerAgencyId: string;
}

/** A feature of `road-segments.geojson`. */
export interface SegmentFeature {
  type: 'Feature';
  properties: { id: string; names: { vi: string; en: string }; freeFlowKmh: number; adminUnitCode: string };
  geometry: { type: 'LineString'; coordinates: [number, number][] };
}

const KIND_SHARES: readonly { kind: CameraKind; weight: number }[] = [
  { kind: 'traffic-junction', weight: 0.7 },
  { kind: 'public-place', weight: 0.2 },
  { kind: 'one-stop-office', weight: 0.1 },
];
const FREE_FLOW_KMH = [30, 40, 50, 60];

/**
 * A city-sized fleet for load: the city's own cameras and road segments, plus generated ones up to `cameras`
 * cameras (and a road segment from each generated junction camera), each inside a current unit of the city and
 * owned by the agency that owns that kind of camera in the city's data. Pure and seeded: the same city, count and
 * seed give the same files. `at` picks the units in effect (the loader checks cameras against the latest ones).
 */
export function generateFleet(
  data: CityData,
  cameras: number,
  seed: number,
  at: Date,
): { cameras: CameraFile[]; segments: SegmentFeature[] } {
  const prng = new Prng(seed ^ 0x5eed);
  const model = new CityModel(data, at);
  const ownerOf = (kind: CameraKind) =>
    mostCommon(data.cameras.filter((c) => c.kind === kind).map((c) => c.ownerAgencyId)) ??
    mostCommon(data.cameras.map((c) => c.ownerAgencyId)) ??
    data.agencies[0].id;
  const cameraFiles: CameraFile[] = data.cameras.map(toFile);
  const segments: SegmentFeature[] = data.roadSegments.map((segment) => ({
    type: 'Feature',
    properties: {
      id: segment.id,
      names: { vi: segment.names.vi, en: segment.names.en },
      freeFlowKmh: segment.freeFlowKmh,
      adminUnitCode: segment.adminUnitCode,
    },
    geometry: {
      type: 'LineString',
      coordinates: segment.geometry.coordinates.map(([lon, lat]) => [lon, lat] as [number, number]),
    },
  }));
  const width = String(cameras).length;
  for (let n = 1; cameraFiles.length < cameras; n++) {
    const kind = prng.weighted(KIND_SHARES, (share) => share.weight).kind;
    const place = model.randomPlace(prng);
    const serial = String(n).padStart(width, '0');
    cameraFiles.push({
      id: `CAM-SIM-${serial}`,
      names: { vi: `Camera mô phỏng ${serial}`, en: `Simulated camera ${serial}` },
      kind,
      location: place.location,
      adminUnitCode: place.unit.code,
      ownerAgencyId: ownerOf(kind),
    });
    if (kind !== 'traffic-junction') continue;
    // A short road leaving the junction; filed under the junction's unit, where its first vertex lies.
    const bearing = prng.between(0, 2 * Math.PI);
    const length = prng.between(300, 1200);
    const middle = offsetPoint(place.location, length / 2, bearing + prng.between(-0.2, 0.2));
    const end = offsetPoint(middle, length / 2, bearing + prng.between(-0.2, 0.2));
    segments.push({
      type: 'Feature',
      properties: {
        id: `RS-SIM-${serial}`,
        names: { vi: `Đoạn đường mô phỏng ${serial}`, en: `Simulated road segment ${serial}` },
        freeFlowKmh: prng.pick(FREE_FLOW_KMH),
        adminUnitCode: place.unit.code,
      },
      geometry: {
        type: 'LineString',
        coordinates: [place.location, middle, end].map((p) => [p.lon, p.lat] as [number, number]),
      },
    });
  }
  return { cameras: cameraFiles, segments };
}

function toFile(camera: Camera): CameraFile {
  return {
    id: camera.id,
    names: { vi: camera.names.vi, en: camera.names.en },
    kind: camera.kind,
    location: { lat: camera.location.lat, lon: camera.location.lon },
    adminUnitCode: camera.adminUnitCode,
    ownerAgencyId: camera.ownerAgencyId,
  };
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
