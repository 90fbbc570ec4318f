import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
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

/** Text planted in the photo fixtures' metadata, comments and private chunks; none of it may be stored. */
export const PLANTED_IN_PHOTOS = ['GPSLatitude', 'Nguyen Van A', 'prVt', 'secret-chunk'] as const;

/** An HTML/script polyglot trailer inside a ZIP local file header, as appended after an image's end. */
export const POLYGLOT_TRAILER = Buffer.concat([
  Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>'),
  Buffer.from([0x50, 0x4b, 0x05, 0x06]),
  Buffer.alloc(18),
]);

function jpegSegment(marker: number, payload: Buffer): Buffer {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

/**
 * A phone photo: 40 × 20 stored pixels with EXIF orientation 6 (to be shown rotated, 20 × 40), EXIF naming
 * the owner and a GPS-looking description, XMP, and a comment. A real JPEG, built by sharp.
 */
export async function aJpegWithExif(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#c81e1e' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Artist: 'Nguyen Van A', ImageDescription: 'GPSLatitude=20.8561' } })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><GPSLatitude>20.8561</GPSLatitude></x:xmpmeta>')
    .toBuffer();
  // A comment segment right after SOI: sharp writes none.
  return Buffer.concat([
    jpeg.subarray(0, 2),
    jpegSegment(0xfe, Buffer.from('taken by Nguyen Van A')),
    jpeg.subarray(2),
  ]);
}

/** A PNG chunk with its CRC (libpng refuses a bad one). */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IHDR_END = PNG_SIGNATURE.length + 25;

/** A real 30 × 10 PNG with an author text chunk, an eXIf-style text chunk and a private `prVt` chunk. */
export async function aPngWithText(): Promise<Buffer> {
  const png = await sharp({ create: { width: 30, height: 10, channels: 4, background: '#00ff0080' } })
    .png()
    .toBuffer();
  return Buffer.concat([
    png.subarray(0, IHDR_END),
    pngChunk('tEXt', Buffer.from('Author\0Nguyen Van A')),
    pngChunk('tEXt', Buffer.from('Comment\0GPSLatitude=20.8561')),
    pngChunk('prVt', Buffer.from('secret-chunk: Nguyen Van A')),
    png.subarray(IHDR_END),
  ]);
}

/** A decompression bomb: a PNG of a few dozen bytes declaring `width` × `height` RGB pixels. */
export function aPngBomb(width = 50_000, height = 50_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
