import { Body, Controller, Get, type INestApplication, Module, Param, Post, Query } from '@nestjs/common';
import {
  createHttpService,
  DecimalNumber,
  HealthModule,
  MAX_INPUT_DEPTH,
  ObservabilityModule,
} from '@ioc/observability';
import { expectHandled, expectReady, fuzzRoutes, listeningUrl, type RawRequest, sendRaw } from '@ioc/testing';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Writable } from 'node:stream';

// The HTTP edge every service gets from createHttpService, on a small app without Kafka or Postgres:
// what a handler may receive, and what a caller hears back for anything else.

class PlaceDto {
  @IsString() @MaxLength(200) name!: string;
}

class NoteDto {
  @IsString() @MaxLength(4000) text!: string;
  @IsOptional() @ValidateNested() @Type(() => PlaceDto) place?: PlaceDto;
}

class PageQuery {
  @IsOptional() @IsString() @MaxLength(64) q?: string;
  @IsOptional() @DecimalNumber() @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @DecimalNumber() @IsNumber({ allowNaN: false, allowInfinity: false }) lat?: number;
}

const received: unknown[] = [];

@Controller('notes')
class NotesController {
  @Post()
  create(@Body() body: NoteDto): { text: string } {
    received.push(body);
    return { text: body.text };
  }

  @Post('raw')
  raw(@Body() body: unknown): { ok: true } {
    received.push(body);
    return { ok: true };
  }

  @Get()
  list(@Query() query: PageQuery): PageQuery {
    return query;
  }

  @Get(':id')
  find(@Param('id') id: string): { id: string } {
    received.push(id);
    return { id };
  }
}

const discard = new Writable({ write: (_chunk, _encoding, done) => done() });

@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'notes', destination: discard }),
    HealthModule.forRoot({ timeoutMs: 200, checks: [] }),
  ],
  controllers: [NotesController],
})
class NotesAppModule {}

const UNSTORABLE = [
  ['U+0000', 'a\u0000b'],
  ['a lone high surrogate', 'a\uD800b'],
  ['a lone low surrogate', '\uDC00'],
];

describe('the HTTP edge of createHttpService', () => {
  let app: INestApplication;
  let url: string;

  const send = (request: Partial<RawRequest> & { path: string }) =>
    sendRaw(url, { method: 'GET', headers: {}, ...request });
  const postJson = (path: string, body: string | Buffer, contentType = 'application/json') =>
    send({
      method: 'POST',
      path,
      headers: { 'content-type': contentType },
      body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    });

  beforeAll(async () => {
    app = await createHttpService(NotesAppModule, {
      title: 'notes',
      description: 'notes',
      jsonLimit: '64kb',
    });
    await app.init();
    url = await listeningUrl(app.getHttpServer());
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('passes valid text through, whatever its script', async () => {
    const text = 'Ổ gà lớn 🚧 — Hải Phòng ½ 𝕏';

    const response = await postJson('/notes', JSON.stringify({ text, place: { name: 'Lạch Tray' } }));

    expect(response.status).toBe(201);
    expect(response.json).toEqual({ text });
  });

  describe.each(UNSTORABLE)('text with %s', (_what, bad) => {
    it('is refused in a body field, naming the field', async () => {
      const response = await postJson('/notes', JSON.stringify({ text: 'ok', place: { name: bad } }));

      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({
        statusCode: 400,
        code: 'VALIDATION.FAILED',
        details: { fields: [{ field: 'place.name', message: expect.stringContaining('U+0000') }] },
      });
      expect(received).toEqual([]);
    });

    it('is refused in a body whose type the handler leaves open', async () => {
      const response = await postJson('/notes/raw', JSON.stringify([{ deep: { deeper: bad } }]));

      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({
        code: 'VALIDATION.FAILED',
        details: { fields: [{ field: '0.deep.deeper' }] },
      });
      expect(received).toEqual([]);
    });

    it('is refused in a property name', async () => {
      const response = await postJson('/notes/raw', JSON.stringify({ [bad]: 1 }));

      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ code: 'VALIDATION.FAILED' });
    });
  });

  it('refuses %00 in a path parameter and in a query value, naming them', async () => {
    const path = await send({ path: '/notes/abc%00def' });
    const query = await send({ path: '/notes?q=x%00' });

    expect(path.status).toBe(400);
    expect(path.json).toMatchObject({ code: 'VALIDATION.FAILED', details: { fields: [{ field: 'id' }] } });
    expect(query.status).toBe(400);
    expect(query.json).toMatchObject({ code: 'VALIDATION.FAILED', details: { fields: [{ field: 'q' }] } });
    expect(received).toEqual([]);
  });

  it('refuses %00 in a form field', async () => {
    const response = await postJson('/notes', 'text=a%00b', 'application/x-www-form-urlencoded');

    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      code: 'VALIDATION.FAILED',
      details: { fields: [{ field: 'text' }] },
    });
  });

  it.each([
    ['arrays', '['.repeat(10_000) + ']'.repeat(10_000)],
    ['objects', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['arrays in a string-heavy body', '["]\\"[",'.repeat(1) + '['.repeat(5_000) + ']'.repeat(5_000) + ']'],
  ])('answers JSON nested 10,000 deep (%s) with 400, not a stack overflow', async (_kind, body) => {
    for (const path of ['/notes', '/notes/raw']) {
      const response = await postJson(path, body);

      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({
        code: 'VALIDATION.FAILED',
        details: { fields: [{ field: 'body', message: expect.stringContaining('nested deeper') }] },
      });
    }
    expect(received).toEqual([]);
  });

  it(`accepts nesting up to ${MAX_INPUT_DEPTH} levels and refuses one more`, async () => {
    const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

    expect((await postJson('/notes/raw', nested(MAX_INPUT_DEPTH))).status).toBe(201);
    expect((await postJson('/notes/raw', nested(MAX_INPUT_DEPTH + 1))).status).toBe(400);
  });

  it('refuses a JSON body that is not UTF-8 instead of storing U+FFFD', async () => {
    const invalid = Buffer.concat([Buffer.from('{"text":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const surrogate = Buffer.concat([
      Buffer.from('{"text":"'),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);

    for (const body of [invalid, surrogate]) {
      const response = await postJson('/notes', body);

      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({
        code: 'VALIDATION.FAILED',
        details: { fields: [{ field: 'body', message: 'body must be valid UTF-8' }] },
      });
    }
    const utf16 = await postJson(
      '/notes',
      Buffer.from('{"text":"x"}', 'utf16le'),
      'application/json; charset=utf-16le',
    );
    expect(utf16.status).toBe(415);
    expect(utf16.json).toMatchObject({ code: 'HTTP.UNSUPPORTED_MEDIA_TYPE' });
    expect(received).toEqual([]);
  });

  it.each(['__proto__', 'constructor', 'hasOwnProperty', 'prototype', 'toString'])(
    'refuses a %s property like any unknown one, at any depth',
    async (key) => {
      const top = await postJson('/notes', `{"text":"x","${key}":{"polluted":true}}`);
      const nested = await postJson('/notes/raw', `{"a":[{"${key}":1}]}`);

      expect(top.status).toBe(400);
      expect(top.json).toMatchObject({
        code: 'VALIDATION.FAILED',
        details: { fields: [{ field: key, message: `property ${key} should not exist` }] },
      });
      expect(nested.status).toBe(400);
      expect(nested.json).toMatchObject({ details: { fields: [{ field: `a.0.${key}` }] } });
      expect(received).toEqual([]);
    },
  );

  it.each([
    ['0x10', 'limit'],
    ['', 'limit'],
    [' 7', 'limit'],
    ['0b11', 'limit'],
  ])('reads only decimal numbers from the query: limit=%j is refused', async (value) => {
    const response = await send({ path: `/notes?limit=${encodeURIComponent(value)}` });

    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ code: 'VALIDATION.FAILED' });
    const fields = (response.json as { details: { fields: { field: string }[] } }).details.fields;
    expect(new Set(fields.map((f) => f.field))).toEqual(new Set(['limit']));
  });

  it('converts decimal query numbers', async () => {
    const response = await send({ path: '/notes?limit=16&lat=-20.85' });

    expect(response.status).toBe(200);
    expect(response.json).toEqual({ limit: 16, lat: -20.85 });
  });

  it('answers a Content-Length of 10 GB with 413 at once, without waiting for the body', async () => {
    const request: RawRequest = {
      method: 'POST',
      path: '/notes',
      headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 ** 3) },
      body: Buffer.from('{}'),
    };

    // The request is never finished: only an answer given before the body arrives can resolve this.
    const response = await sendRaw(url, request, { partial: true });

    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(response.json).toMatchObject({
      statusCode: 413,
      code: 'HTTP.PAYLOAD_TOO_LARGE',
      correlationId: expect.any(String),
    });
  });

  it('answers headers over the size limit with the error body, not a bare status line', async () => {
    const response = await send({ path: `/notes?q=${'x'.repeat(20_000)}` });

    expect(response.status).toBe(431);
    expect(response.json).toMatchObject({
      statusCode: 431,
      code: 'HTTP.REQUEST_HEADER_FIELDS_TOO_LARGE',
      correlationId: expect.any(String),
    });
  });

  it('sends security headers on every answer, and the Swagger UI still loads its own assets', async () => {
    const answers = await Promise.all([
      send({ path: '/notes/1' }),
      send({ path: '/nowhere' }),
      postJson('/notes', '{'),
      send({ path: '/docs' }),
      send({ path: '/docs-json' }),
    ]);

    for (const answer of answers) {
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-powered-by']).toBeUndefined();
    }
    const [, , , docs, docsJson] = answers;
    expect(docs.status).toBe(200);
    expect(docsJson.status).toBe(200);
    const html = docs.body.toString('utf8');
    const csp = docs.headers['content-security-policy'] as string;
    // Every script is a file of /docs itself (script-src 'self' allows it), and nothing is upgraded to HTTPS.
    expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const assets = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const { pathname: path } = new URL(asset, `${url}/docs`);
      expect({ asset, status: (await send({ path })).status }).toEqual({ asset, status: 200 });
    }
  });

  it('answers a thousand generated hostile requests without a 5xx, and stays ready', async () => {
    await fuzzRoutes(
      url,
      [
        { method: 'POST', path: '/notes', valid: [{ text: 'x', place: { name: 'y' } }] },
        { method: 'POST', path: '/notes/raw' },
        { method: 'GET', path: '/notes' },
        { method: 'GET', path: '/notes/:id' },
        { method: 'GET', path: '/health/live' },
        { method: 'GET', path: '/metrics' },
      ],
      { runs: 1000 },
    );

    await expectReady(url);
    const valid = await postJson('/notes', '{"text":"still here"}');
    expectHandled({ method: 'POST', path: '/notes', headers: {} }, valid);
    expect(valid.status).toBe(201);
  });
});
