import sharp, { type Metadata } from 'sharp';

/** Photo types citizens and agencies may attach; recognised by decoding, never by the declared type or name. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** A photo as stored and served: decoded and re-encoded, nothing of the uploaded file but its pixels. */
export interface CleanPhoto {
  contentType: PhotoType;
  bytes: Buffer;
}

/** Why a photo was refused: not a decodable JPEG or PNG, or more pixels than the service decodes. */
export type PhotoRefusal = 'unsupported' | 'too-many-pixels';

export type PhotoVerdict = { ok: true; photo: CleanPhoto } | { ok: false; refusal: PhotoRefusal };

/** Limits of {@link PhotoSanitizer}, from the service's config. */
export interface PhotoLimits {
  /** Largest width × height decoded; a larger image (a decompression bomb) is refused before decoding. */
  maxInputPixels: number;
  /** Longest side of the stored photo; larger photos are scaled down to fit, never up. */
  maxEdgePixels: number;
}

const FORMATS: Readonly<Record<string, PhotoType>> = { jpeg: 'image/jpeg', png: 'image/png' };

/**
 * Decodes every uploaded photo and encodes it anew with sharp (libvips), so what is stored and served is
 * pixels only: EXIF (GPS position, camera, owner), XMP, ICC, comments, text and private PNG chunks, and
 * whatever follows the image (a ZIP or an HTML/script polyglot) are all gone, whatever their place in the
 * file. The EXIF orientation is applied to the pixels first, since the tag that carried it is dropped.
 * See "Photos" in `apps/reports/README.md`.
 */
export class PhotoSanitizer {
  constructor(private readonly limits: PhotoLimits) {}

  get maxInputPixels(): number {
    return this.limits.maxInputPixels;
  }

  async sanitize(bytes: Buffer): Promise<PhotoVerdict> {
    let header: Metadata;
    try {
      // Reads the header only; the pixel limit is checked below, so that a bomb has its own refusal.
      header = await sharp(bytes, { limitInputPixels: false }).metadata();
    } catch {
      return { ok: false, refusal: 'unsupported' };
    }
    const contentType = FORMATS[header.format];
    if (contentType === undefined) return { ok: false, refusal: 'unsupported' };
    if (header.width * header.height > this.limits.maxInputPixels)
      return { ok: false, refusal: 'too-many-pixels' };
    try {
      // limitInputPixels again: libvips enforces it while decoding, should a header have understated the size.
      const image = sharp(bytes, { limitInputPixels: this.limits.maxInputPixels, failOn: 'error' })
        .rotate()
        .resize({
          width: this.limits.maxEdgePixels,
          height: this.limits.maxEdgePixels,
          fit: 'inside',
          withoutEnlargement: true,
        });
      // sharp writes no metadata unless asked (keepMetadata/withMetadata), so the output carries none.
      const encoded =
        contentType === 'image/jpeg'
          ? await image.jpeg({ quality: 85, mozjpeg: true }).toBuffer()
          : await image.png({ compressionLevel: 9 }).toBuffer();
      return { ok: true, photo: { contentType, bytes: encoded } };
    } catch {
      return { ok: false, refusal: 'unsupported' };
    }
  }
}
