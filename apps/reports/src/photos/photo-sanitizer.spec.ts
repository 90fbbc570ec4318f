import { aJpegWithExif, aPngWithText } from '../../../../test/factories/reports';
import { sniffPhotoType, stripPhotoMetadata } from './photo-sanitizer';

describe('photo sanitizer', () => {
  it('recognises JPEG and PNG by their bytes and nothing else', () => {
    expect(sniffPhotoType(aJpegWithExif())).toBe('image/jpeg');
    expect(sniffPhotoType(aPngWithText())).toBe('image/png');
    expect(sniffPhotoType(Buffer.from('<script>alert(1)</script>'))).toBeUndefined();
    expect(sniffPhotoType(Buffer.from('%PDF-1.7'))).toBeUndefined();
  });

  it('removes EXIF, XMP and comments from a JPEG and keeps the image segments', () => {
    const stripped = stripPhotoMetadata(aJpegWithExif(), 'image/jpeg');
    expect(stripped).toBeDefined();
    const text = stripped?.toString('latin1') ?? '';
    expect(text).not.toContain('GPSLatitude');
    expect(text).not.toContain('Nguyen');
    expect(text).toContain('JFIF');
    expect(stripped?.subarray(-5).equals(Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9]))).toBe(true);
  });

  it('removes text and eXIf chunks from a PNG', () => {
    const stripped = stripPhotoMetadata(aPngWithText(), 'image/png');
    const text = stripped?.toString('latin1') ?? '';
    expect(text).not.toContain('GPSLatitude');
    expect(text).not.toContain('Nguyen');
    expect(text).toContain('IDAT');
    expect(text).toContain('IEND');
  });

  it('refuses truncated files', () => {
    expect(stripPhotoMetadata(aJpegWithExif().subarray(0, 12), 'image/jpeg')).toBeUndefined();
    expect(stripPhotoMetadata(aPngWithText().subarray(0, 30), 'image/png')).toBeUndefined();
  });
});
