import type { AdminUnit, Agency, Category, RoutingRule } from '@ioc/reference-data';

/** A made-up two-unit city for the reports service's unit specs: no real city is hard-wired in the rules. */
export interface ReportsTestCity {
  categories: Category[];
  agencies: Agency[];
  adminUnits: AdminUnit[];
  routingRules: RoutingRule[];
}

function square(minLon: number, minLat: number, maxLon: number, maxLat: number): AdminUnit['geometry'] {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [minLon, minLat],
        [maxLon, minLat],
        [maxLon, maxLat],
        [minLon, maxLat],
        [minLon, minLat],
      ],
    ],
    bbox: [minLon, minLat, maxLon, maxLat],
  };
}

function unit(code: string, parentCode: string | null, geometry: AdminUnit['geometry']): AdminUnit {
  return {
    code,
    names: { vi: code, en: code },
    level: parentCode === null ? 'province' : 'ward',
    parentCode,
    hierarchy: '2025',
    validFrom: '2025-07-01',
    validTo: null,
    effectiveFrom: Date.UTC(2025, 5, 30, 17),
    effectiveTo: null,
    geometry,
  };
}

function agency(id: string): Agency {
  return { id, names: { vi: id, en: id }, kind: 'city-department', adminUnitCode: null, contact: null };
}

/**
 * City `C` spans lon 0–10, lat 0–10; its ward `C.W1` the western half. Potholes go to `AG-ROADS`, or to
 * `AG-W1` inside the ward; `noise` has no rule (triage).
 */
export function aReportsTestCity(): ReportsTestCity {
  return {
    categories: [
      {
        code: 'potholes',
        names: { vi: 'Ổ gà', en: 'Potholes' },
        sla: { ackWithin: 'PT1H', resolveWithin: 'P1D' },
        duplicate: { radiusMeters: 50, within: 'P1D' },
      },
      {
        code: 'noise',
        names: { vi: 'Tiếng ồn', en: 'Noise' },
        sla: { ackWithin: 'PT2H', resolveWithin: 'P2D' },
        duplicate: { radiusMeters: 100, within: 'PT12H' },
      },
    ],
    agencies: [agency('AG-ROADS'), agency('AG-W1'), agency('AG-OTHER')],
    adminUnits: [unit('C', null, square(0, 0, 10, 10)), unit('C.W1', 'C', square(0, 0, 5, 10))],
    routingRules: [
      { id: 'R-CITY-POTHOLES', categoryCode: 'potholes', adminUnitCode: null, agencyId: 'AG-ROADS' },
      { id: 'R-W1-POTHOLES', categoryCode: 'potholes', adminUnitCode: 'C.W1', agencyId: 'AG-W1' },
    ],
  };
}

function jpegSegment(marker: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header[0] = 0xff;
  header[1] = marker;
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

/** A JPEG skeleton: SOI, JFIF, EXIF with a GPS-looking payload, a comment, a scan, EOI. */
export function aJpegWithExif(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jpegSegment(0xe0, Buffer.from('JFIF\0\x01\x01')),
    jpegSegment(0xe1, Buffer.from('Exif\0\0GPSLatitude=20.8561')),
    jpegSegment(0xfe, Buffer.from('taken by Nguyen Van A')),
    jpegSegment(0xdb, Buffer.alloc(8, 1)),
    jpegSegment(0xda, Buffer.alloc(6, 2)),
    Buffer.from([0x12, 0x34, 0x56]),
    Buffer.from([0xff, 0xd9]),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
}

/** A PNG skeleton with an author text chunk and an eXIf chunk. */
export function aPngWithText(): Buffer {
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', Buffer.alloc(13)),
    pngChunk('tEXt', Buffer.from('Author\0Nguyen Van A')),
    pngChunk('eXIf', Buffer.from('GPSLatitude=20.8561')),
    pngChunk('IDAT', Buffer.alloc(10, 7)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
