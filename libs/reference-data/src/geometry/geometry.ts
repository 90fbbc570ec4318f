import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import type { BBox, GeoPoint, MultiPolygonGeometry, PolygonGeometry, Position } from '../city-data';

/** The 2D bounding box of some positions. */
export function bboxOf(positions: Iterable<Position>): BBox {
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of positions) {
    minLon = Math.min(minLon, lon);
    minLat = Math.min(minLat, lat);
    maxLon = Math.max(maxLon, lon);
    maxLat = Math.max(maxLat, lat);
  }
  return [minLon, minLat, maxLon, maxLat];
}

export function bboxContains(bbox: BBox, [lon, lat]: Position): boolean {
  return bbox[0] <= lon && lon <= bbox[2] && bbox[1] <= lat && lat <= bbox[3];
}

/** Whether an area contains a point; a point on the boundary counts as inside. */
export function areaContains(area: PolygonGeometry | MultiPolygonGeometry, point: GeoPoint): boolean {
  // turf's types ask for mutable GeoJSON; it only reads the (frozen) coordinates and the bbox.
  return booleanPointInPolygon([point.lon, point.lat], area as unknown as Polygon | MultiPolygon);
}

/**
 * Why a linear ring is not closed (RFC 7946 §3.1.6: at least four positions, the first equal to
 * the last), or `undefined` when it is.
 */
export function ringClosureProblem(ring: readonly Position[]): string | undefined {
  if (ring.length < 4) return `a linear ring needs at least 4 positions, found ${ring.length}`;
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) return 'a linear ring must end where it starts';
  return undefined;
}

interface Segment {
  readonly ring: number;
  readonly index: number;
  readonly a: Position;
  readonly b: Position;
  readonly minX: number;
  readonly maxX: number;
}

/**
 * Where the closed rings of one polygon touch or cross themselves or each other, as messages naming
 * the rings and edges (a "simple" polygon in the sense of OGC Simple Features); empty when none do.
 * Edges are swept by longitude, so real boundaries with thousands of vertices stay cheap.
 */
export function ringIntersections(rings: readonly (readonly Position[])[]): string[] {
  const perRing = rings.map(segmentsOf);
  const edgeCounts = perRing.map((edges) => edges.length);
  const segments = perRing.flat();
  segments.sort((s, t) => s.minX - t.minX);
  const problems: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    for (let j = i + 1; j < segments.length && segments[j].minX <= s.maxX; j++) {
      const t = segments[j];
      if (adjacent(s, t, edgeCounts) || !segmentsTouch(s.a, s.b, t.a, t.b)) continue;
      const [first, second] = s.ring < t.ring || (s.ring === t.ring && s.index < t.index) ? [s, t] : [t, s];
      problems.push(
        first.ring === second.ring
          ? `ring ${first.ring} touches or crosses itself (edges ${first.index} and ${second.index})`
          : `rings ${first.ring} and ${second.ring} touch or cross (edges ${first.index} and ${second.index})`,
      );
    }
  }
  return problems;
}

// Consecutive repeated positions are tolerated (RFC 7946 does not forbid them) and skipped here.
function segmentsOf(ring: readonly Position[], ringIndex: number): Segment[] {
  const distinct = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
  return distinct.slice(1).map((b, index) => {
    const a = distinct[index];
    return { ring: ringIndex, index, a, b, minX: Math.min(a[0], b[0]), maxX: Math.max(a[0], b[0]) };
  });
}

function adjacent(s: Segment, t: Segment, edgeCounts: readonly number[]): boolean {
  if (s.ring !== t.ring) return false;
  const last = edgeCounts[s.ring] - 1;
  const gap = Math.abs(s.index - t.index);
  // Neighbouring edges share a vertex; so do the last and first edges of a closed ring. A fold-back
  // (the next edge running back over this one) still counts as touching.
  return (gap === 1 || gap === last) && !collinearOverlap(s, t);
}

function collinearOverlap(s: Segment, t: Segment): boolean {
  if (orientation(s.a, s.b, t.a) !== 0 || orientation(s.a, s.b, t.b) !== 0) return false;
  const shared = samePoint(s.b, t.a) || samePoint(s.a, t.b) ? 1 : 0;
  const onS = [t.a, t.b].filter((p) => onSegment(s.a, s.b, p)).length;
  const onT = [s.a, s.b].filter((p) => onSegment(t.a, t.b, p)).length;
  return Math.max(onS, onT) > shared;
}

function segmentsTouch(p1: Position, p2: Position, q1: Position, q2: Position): boolean {
  const o1 = orientation(p1, p2, q1);
  const o2 = orientation(p1, p2, q2);
  const o3 = orientation(q1, q2, p1);
  const o4 = orientation(q1, q2, p2);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(p1, p2, q1)) ||
    (o2 === 0 && onSegment(p1, p2, q2)) ||
    (o3 === 0 && onSegment(q1, q2, p1)) ||
    (o4 === 0 && onSegment(q1, q2, p2))
  );
}

function orientation(a: Position, b: Position, c: Position): number {
  return Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
}

// Only meaningful for a point collinear with the segment.
function onSegment(a: Position, b: Position, p: Position): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] &&
    p[1] <= Math.max(a[1], b[1])
  );
}

function samePoint(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
