import { qualifiedTable } from '@ioc/database';
import request from 'supertest';
import sharp from 'sharp';
import {
  aJpegWithExif,
  aPngBomb,
  aPngWithText,
  PLANTED_IN_PHOTOS,
  POLYGLOT_TRAILER,
} from '../../../test/factories/reports';
import { EventTypes } from '@ioc/contracts';
import { waitFor } from '@ioc/testing';
import { type ReportsApp, startReportsApp } from './reports-app';

jest.setTimeout(90_000);

const IDEMPOTENCY_KEY = 'c0ffee00-idem-4b1d-9e2f-5a6b7c8d9e0f';
const POINT = { lat: 20.842, lon: 106.66 };
const valid = { categoryCode: 'roads-pavements', description: 'Ổ gà lớn giữa đường', location: POINT };

describe('citizen submission input', () => {
  let sut: ReportsApp;

  beforeAll(async () => {
    sut = await startReportsApp({ REPORTS_MAX_PHOTOS: '2', REPORTS_MAX_PHOTO_BYTES: '4096' });
  });

  afterAll(async () => {
    await sut?.close();
  });

  const countReports = async (): Promise<number> =>
    Number(
      (
        await sut.dataSource.query(`SELECT count(*) AS n FROM ${qualifiedTable(sut.dataSource, 'reports')}`)
      )[0].n,
    );

  it('registers one report for concurrent retries with the same Idempotency-Key and replays the first answer', async () => {
    const before = await countReports();
    const body = { ...valid, description: 'Idempotent: ổ gà' };
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        request(sut.http).post('/reports').set('Idempotency-Key', IDEMPOTENCY_KEY).send(body),
      ),
    );
    for (const answer of answers) expect(answer.status).toBe(201);
    const ids = new Set(answers.map((answer) => answer.body.id));
    expect(ids.size).toBe(1);
    expect(new Set(answers.map((answer) => answer.body.secret)).size).toBe(1);
    expect(await countReports()).toBe(before + 1);

    const reused = await request(sut.http)
      .post('/reports')
      .set('Idempotency-Key', IDEMPOTENCY_KEY)
      .send({ ...body, description: 'something else' });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('REPORT.IDEMPOTENCY_KEY_REUSED');

    const badKey = await request(sut.http).post('/reports').set('Idempotency-Key', 'á b').send(body);
    expect(badKey.status).toBe(400);
    expect(badKey.body.code).toBe('VALIDATION.FAILED');

    // With the key, anyone could replay the first answer and read the citizen's secret: never logged.
    await waitFor(() => sut.logs.text().includes('"idempotency-key":"[REDACTED]"'), {
      what: 'the request log line',
    });
    expect(sut.logs.text()).not.toContain(IDEMPOTENCY_KEY);
    expect(sut.logs.text()).not.toContain(answers[0].body.secret);
  });

  it.each([
    ['an unknown category', { ...valid, categoryCode: 'ufo-sighting' }, 400, 'REPORT.UNKNOWN_CATEGORY'],
    [
      'a point outside the city',
      { ...valid, location: { lat: 21.9, lon: 105.1 } },
      400,
      'REPORT.OUTSIDE_CITY',
    ],
    ['a latitude out of range', { ...valid, location: { lat: 200, lon: 106.66 } }, 400, 'VALIDATION.FAILED'],
    [
      'a coordinate that is a string',
      { ...valid, location: { lat: '20.8', lon: 106.66 } },
      400,
      'VALIDATION.FAILED',
    ],
    ['a missing location', { categoryCode: 'roads-pavements', description: 'x' }, 400, 'VALIDATION.FAILED'],
    ['an empty description', { ...valid, description: '' }, 400, 'VALIDATION.FAILED'],
    [
      'a description over 4000 characters',
      { ...valid, description: 'x'.repeat(4001) },
      400,
      'VALIDATION.FAILED',
    ],
    ['an unexpected property', { ...valid, status: 'closed' }, 400, 'VALIDATION.FAILED'],
    ['a malformed phone', { ...valid, reporter: { phone: 'call me maybe' } }, 400, 'VALIDATION.FAILED'],
    ['a channel citizens cannot use', { ...valid, channel: 'national-portal' }, 400, 'VALIDATION.FAILED'],
    ['an array instead of an object', [valid], 400, 'VALIDATION.FAILED'],
  ])('refuses %s with a machine-readable 4xx', async (_case, body, status, code) => {
    const before = await countReports();
    const response = await request(sut.http)
      .post('/reports')
      .send(body as object);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ statusCode: status, code, correlationId: expect.any(String) });
    expect(await countReports()).toBe(before);
  });

  it('refuses malformed JSON, a wrong content type and an oversized body', async () => {
    const malformed = await request(sut.http)
      .post('/reports')
      .set('Content-Type', 'application/json')
      .send('{"categoryCode":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toEqual(expect.any(String));

    const text = await request(sut.http)
      .post('/reports')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify(valid));
    expect(text.status).toBe(400);
    expect(text.body.code).toBe('VALIDATION.FAILED');

    const oversized = await request(sut.http)
      .post('/reports')
      .send({ ...valid, description: 'x'.repeat(70 * 1024) });
    expect(oversized.status).toBe(413);
    expect(oversized.body.statusCode).toBe(413);
  });

  it('stores script- and SQL-looking strings as plain data and returns them unchanged', async () => {
    const hostile = `<script>alert('x')</script>'); DROP TABLE reports; --`;
    const created = await request(sut.http)
      .post('/reports')
      .send({
        ...valid,
        location: { lat: 20.83, lon: 106.66 },
        description: hostile,
        addressText: `"><img src=x onerror=alert(1)> ' OR 1=1 --`,
      });
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toMatch(/^application\/json/);

    const agency = await sut.token('agency', 'AG-SGTVT');
    const stored = await request(sut.http)
      .get(`/agency/reports/${created.body.id}`)
      .auth(agency, { type: 'bearer' });
    expect(stored.status).toBe(200);
    expect(stored.body.description).toBe(hostile);
    expect(stored.body.addressText).toBe(`"><img src=x onerror=alert(1)> ' OR 1=1 --`);

    const tracked = await request(sut.http).get(`/reports/track/${created.body.trackingCode}`);
    expect(tracked.body.addressText).toBe(`"><img src=x onerror=alert(1)> ' OR 1=1 --`);
    expect(await countReports()).toBeGreaterThan(0);

    const sqlCode = await request(sut.http).get(`/reports/track/${encodeURIComponent("x' OR '1'='1")}`);
    expect(sqlCode.status).toBe(404);
    expect(sqlCode.body.code).toBe('REPORT.NOT_FOUND');
  });

  describe('with photos (multipart)', () => {
    const report = (lat: number) =>
      JSON.stringify({ ...valid, description: 'Ổ gà, có ảnh', location: { lat, lon: 106.66 } });
    let jpeg: Buffer;
    let png: Buffer;

    beforeAll(async () => {
      jpeg = await aJpegWithExif();
      png = await aPngWithText();
    });

    const download = async (path: string, token: string): Promise<request.Response> =>
      request(sut.http)
        .get(path)
        .auth(token, { type: 'bearer' })
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });

    it('stores and serves re-encoded photos: orientation applied, no metadata, no trailer, no private chunk', async () => {
      const created = await request(sut.http)
        .post('/reports')
        .field('report', report(20.8))
        .attach('photos', Buffer.concat([jpeg, POLYGLOT_TRAILER]), {
          filename: 'a.jpg',
          contentType: 'image/jpeg',
        })
        .attach('photos', Buffer.concat([png, POLYGLOT_TRAILER]), {
          filename: 'b.png',
          contentType: 'image/png',
        });
      expect(created.status).toBe(201);

      const agency = await sut.token('agency', 'AG-SGTVT');
      const view = await request(sut.http)
        .get(`/agency/reports/${created.body.id}`)
        .auth(agency, { type: 'bearer' });
      expect(view.body.attachmentCount).toBe(2);

      const stored = await sut.dataSource.query<{ content_type: string; bytes: Buffer }[]>(
        `SELECT content_type, bytes FROM ${qualifiedTable(sut.dataSource, 'report_photos')}
         WHERE report_id = $1 ORDER BY position`,
        [created.body.id],
      );
      const served = [
        await download(`/agency/reports/${created.body.id}/photos/0`, agency),
        await download(`/agency/reports/${created.body.id}/photos/1`, agency),
      ];
      expect(served.map((photo) => [photo.status, photo.headers['content-type']])).toEqual([
        [200, 'image/jpeg'],
        [200, 'image/png'],
      ]);
      expect(stored.map((row) => row.content_type)).toEqual(['image/jpeg', 'image/png']);
      for (const bytes of [
        ...stored.map((row) => row.bytes),
        ...served.map((photo) => photo.body as Buffer),
      ]) {
        const text = bytes.toString('latin1');
        for (const planted of [...PLANTED_IN_PHOTOS, 'PK\x03\x04', '<script', 'Exif', 'tEXt'])
          expect(text).not.toContain(planted);
      }
      // 40 × 20 pixels with orientation 6: stored upright, 20 × 40, with no orientation tag left.
      expect(await sharp(served[0].body as Buffer).metadata()).toMatchObject({ width: 20, height: 40 });
      expect((await sharp(served[0].body as Buffer).metadata()).orientation).toBeUndefined();
      expect(await sharp(served[1].body as Buffer).metadata()).toMatchObject({ width: 30, height: 10 });

      const missing = await request(sut.http)
        .get(`/agency/reports/${created.body.id}/photos/7`)
        .auth(agency, { type: 'bearer' });
      expect(missing.status).toBe(404);
      const foreign = await request(sut.http)
        .get(`/agency/reports/${created.body.id}/photos/0`)
        .auth(await sut.token('agency', 'AG-SXD'), { type: 'bearer' });
      expect(foreign.status).toBe(404);

      const { events } = await sut.events((all) => all.some((e) => e.subject === created.body.id));
      const submitted = events.find(
        (e) => e.subject === created.body.id && e.type === EventTypes.reportSubmitted,
      );
      expect(submitted?.data).toMatchObject({ attachmentCount: 2 });
      expect(JSON.stringify(events)).not.toContain('GPSLatitude');
    });

    it.each([
      [
        'a script disguised as a JPEG',
        (call: request.Test) =>
          call.attach('photos', Buffer.from('<script>alert(1)</script>'), {
            filename: 'x.jpg',
            contentType: 'image/jpeg',
          }),
        400,
        'REPORT.INVALID_PHOTO',
      ],
      [
        'a truncated JPEG',
        (call: request.Test) =>
          call.attach('photos', jpeg.subarray(0, jpeg.length - 200), {
            filename: 'cut.jpg',
            contentType: 'image/jpeg',
          }),
        400,
        'REPORT.INVALID_PHOTO',
      ],
      [
        'a decompression bomb (a small PNG declaring 50000 × 50000 pixels)',
        (call: request.Test) =>
          call.attach('photos', aPngBomb(50_000, 50_000), { filename: 'bomb.png', contentType: 'image/png' }),
        413,
        'REPORT.PHOTO_TOO_MANY_PIXELS',
      ],
      [
        'a photo over the size limit',
        (call: request.Test) =>
          call.attach('photos', Buffer.concat([jpeg, Buffer.alloc(8192)]), {
            filename: 'big.jpg',
            contentType: 'image/jpeg',
          }),
        413,
        undefined,
      ],
      [
        'more photos than allowed',
        (call: request.Test) =>
          call
            .attach('photos', jpeg, { filename: '1.jpg', contentType: 'image/jpeg' })
            .attach('photos', jpeg, { filename: '2.jpg', contentType: 'image/jpeg' })
            .attach('photos', jpeg, { filename: '3.jpg', contentType: 'image/jpeg' }),
        400,
        undefined,
      ],
    ])('refuses %s', async (_case, attach, status, code) => {
      const before = await countReports();
      const response = await attach(request(sut.http).post('/reports').field('report', report(20.81)));
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ statusCode: status, code: code ?? expect.any(String) });
      expect(await countReports()).toBe(before);
    });

    it('refuses a multipart submission without the report field, or with broken JSON in it', async () => {
      const without = await request(sut.http)
        .post('/reports')
        .attach('photos', jpeg, { filename: 'a.jpg', contentType: 'image/jpeg' });
      expect(without.status).toBe(400);
      expect(without.body.code).toBe('VALIDATION.FAILED');
      const broken = await request(sut.http).post('/reports').field('report', '{"categoryCode":');
      expect(broken.status).toBe(400);
      expect(broken.body.code).toBe('VALIDATION.FAILED');
    });
  });
});
