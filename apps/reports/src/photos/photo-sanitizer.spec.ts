import sharp from 'sharp';
import {
  aJpegWithExif,
  aPngBomb,
  aPngWithText,
  PLANTED_IN_PHOTOS,
  POLYGLOT_TRAILER,
} from '../../../../test/factories/reports';
import { type CleanPhoto, PhotoSanitizer, type PhotoVerdict } from './photo-sanitizer';

function cleaned(verdict: PhotoVerdict): CleanPhoto {
  if (!verdict.ok) throw new Error(`refused: ${verdict.refusal}`);
  return verdict.photo;
}

function expectNothingPlanted(bytes: Buffer): void {
  const text = bytes.toString('latin1');
  for (const planted of PLANTED_IN_PHOTOS) expect(text).not.toContain(planted);
  for (const marker of ['PK\x03\x04', 'PK\x05\x06', '<script', '<html', 'Exif', 'xmpmeta', 'tEXt'])
    expect(text).not.toContain(marker);
}

describe(PhotoSanitizer.name, () => {
  const sut = new PhotoSanitizer({ maxInputPixels: 1_000_000, maxEdgePixels: 2560 });

  it('is given fixtures that really carry metadata, comments and private chunks', async () => {
    const jpeg = (await aJpegWithExif()).toString('latin1');
    const png = (await aPngWithText()).toString('latin1');
    for (const planted of ['Exif', 'Nguyen Van A', 'GPSLatitude', 'xmpmeta']) expect(jpeg).toContain(planted);
    for (const planted of ['tEXt', 'prVt', 'secret-chunk', 'GPSLatitude']) expect(png).toContain(planted);
  });

  it('re-encodes a phone JPEG with its orientation applied and no metadata left', async () => {
    const input = await aJpegWithExif();
    expect(await sharp(input).metadata()).toMatchObject({ width: 40, height: 20, orientation: 6 });

    const photo = cleaned(await sut.sanitize(input));

    expect(photo.contentType).toBe('image/jpeg');
    const meta = await sharp(photo.bytes).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 20, height: 40 });
    expect(meta.orientation).toBeUndefined();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.comments).toBeUndefined();
    expectNothingPlanted(photo.bytes);
  });

  it.each([
    ['JPEG', aJpegWithExif, 'image/jpeg'],
    ['PNG', aPngWithText, 'image/png'],
  ] as const)('drops a ZIP/HTML polyglot trailer after a %s image', async (_name, build, type) => {
    const input = Buffer.concat([await build(), POLYGLOT_TRAILER]);

    const photo = cleaned(await sut.sanitize(input));

    expect(photo.contentType).toBe(type);
    expectNothingPlanted(photo.bytes);
    // The stored file ends where the image does: IEND for a PNG, EOI for a JPEG.
    const end = type === 'image/png' ? Buffer.from('IEND\xaeB`\x82', 'latin1') : Buffer.from([0xff, 0xd9]);
    expect(photo.bytes.subarray(-end.length).equals(end)).toBe(true);
  });

  it('keeps only the critical chunks of a PNG: no text, no private chunk', async () => {
    const photo = cleaned(await sut.sanitize(await aPngWithText()));

    expect(await sharp(photo.bytes).metadata()).toMatchObject({ format: 'png', width: 30, height: 10 });
    expectNothingPlanted(photo.bytes);
  });

  it('scales a photo larger than the edge limit down to fit, keeping its proportions', async () => {
    const large = await sharp({ create: { width: 1200, height: 600, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer();
    const small = new PhotoSanitizer({ maxInputPixels: 1_000_000, maxEdgePixels: 300 });

    const photo = cleaned(await small.sanitize(large));

    expect(await sharp(photo.bytes).metadata()).toMatchObject({ width: 300, height: 150 });
  });

  it('refuses a decompression bomb before decoding it', async () => {
    const bomb = aPngBomb(50_000, 50_000);
    expect(bomb.length).toBeLessThan(200_000);

    expect(await sut.sanitize(bomb)).toEqual({ ok: false, refusal: 'too-many-pixels' });
    expect(await sut.sanitize(aPngBomb(1001, 1000))).toEqual({ ok: false, refusal: 'too-many-pixels' });
  });

  it.each([
    ['a script renamed .jpg', Buffer.from('<script>alert(1)</script>')],
    ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n')],
    [
      'an SVG, which could carry a script',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'),
    ],
    ['an empty file', Buffer.alloc(0)],
  ])('refuses %s', async (_case, bytes) => {
    expect(await sut.sanitize(bytes)).toEqual({ ok: false, refusal: 'unsupported' });
  });

  it('refuses truncated images and a GIF', async () => {
    const jpeg = await aJpegWithExif();
    const png = await aPngWithText();
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();

    for (const bytes of [jpeg.subarray(0, jpeg.length - 200), png.subarray(0, png.length - 30), gif])
      expect(await sut.sanitize(bytes)).toEqual({ ok: false, refusal: 'unsupported' });
  });
});
