/** Photo types citizens may attach; recognised by their bytes, never by the declared type or file name. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The type the bytes really are, or undefined for anything else (a script renamed .jpg, a PDF…). */
export function sniffPhotoType(bytes: Buffer): PhotoType | undefined {
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  return undefined;
}

/**
 * The photo without its metadata: JPEG APPn segments other than JFIF (EXIF with GPS position, XMP, maker
 * notes) and comments; PNG text and eXIf chunks. The pixels are untouched. Issue 4: a photo's EXIF location
 * data must not travel; removing it at the door means it is never stored either.
 * @returns undefined when the file is not a well-formed JPEG or PNG
 */
export function stripPhotoMetadata(bytes: Buffer, type: PhotoType): Buffer | undefined {
  return type === 'image/jpeg' ? stripJpeg(bytes) : stripPng(bytes);
}

const SOS = 0xda;
const EOI = 0xd9;
const APP0 = 0xe0;
const COM = 0xfe;

function stripJpeg(bytes: Buffer): Buffer | undefined {
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === EOI) {
      kept.push(bytes.subarray(at, at + 2));
      return Buffer.concat(kept);
    }
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) return undefined;
    const segment = bytes.subarray(at, at + 2 + length);
    const isMetadata = (marker > APP0 && marker <= 0xef) || marker === COM;
    if (!isMetadata) kept.push(segment);
    if (marker === SOS) {
      // Entropy-coded data up to the end: no metadata lives after the scan header.
      kept.push(bytes.subarray(at + 2 + length));
      return Buffer.concat(kept);
    }
    at += 2 + length;
  }
  return undefined;
}

const PNG_METADATA_CHUNKS = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt', 'tIME']);

function stripPng(bytes: Buffer): Buffer | undefined {
  const kept: Buffer[] = [PNG_SIGNATURE];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (end > bytes.length) return undefined;
    if (!PNG_METADATA_CHUNKS.has(type)) kept.push(bytes.subarray(at, end));
    if (type === 'IEND') return Buffer.concat(kept);
    at = end;
  }
  return undefined;
}
