import { Body, Controller, Get, type INestApplication, Logger, Module, Param, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { waitFor } from '@ioc/testing';
import { Writable } from 'node:stream';
import { IsString, Length } from 'class-validator';
import request from 'supertest';
import {
  CORRELATION_ID_HEADER,
  currentCorrelationId,
  HealthModule,
  iocValidationPipe,
  NotFoundError,
  ObservabilityModule,
  useIocLogger,
} from '@ioc/observability';

// Boots a small app in-process with the whole observability stack and checks what a client and a
// log reader see. No Kafka or Postgres: readiness checks are fakes the spec switches.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const REPORTER_NAME = 'Nguyễn Thị Hoa';
const REPORTER_PHONE = '0912345678';

class CreateThingDto {
  @IsString() @Length(3, 80) title!: string;
  @IsString() name!: string;
  @IsString() phone!: string;
}

@Controller('things')
class ThingsController {
  private readonly logger = new Logger(ThingsController.name);

  @Post()
  create(@Body() body: CreateThingDto): { title: string; correlationId?: string } {
    this.logger.log({ body }, 'thing received');
    return { title: body.title, correlationId: currentCorrelationId() };
  }

  @Get('boom')
  boom(): never {
    throw new Error('password authentication failed for user "ioc" (s3cret)');
  }

  @Get(':id')
  find(@Param('id') id: string): never {
    throw new NotFoundError(`Thing ${id} not found`, { code: 'THING.NOT_FOUND', details: { id } });
  }
}

const readiness = { brokerUp: true };
const lines: string[] = [];
const destination = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});
const logs = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'things', destination }),
    HealthModule.forRoot({
      timeoutMs: 200,
      checks: [
        { name: 'postgres', check: async () => undefined },
        {
          name: 'kafka',
          check: async () => {
            if (!readiness.brokerUp) throw new Error('no broker available');
          },
        },
      ],
    }),
  ],
  controllers: [ThingsController],
})
class ThingsAppModule {}

describe('ObservabilityModule over HTTP', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ThingsAppModule] }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    useIocLogger(app);
    app.useGlobalPipes(iocValidationPipe());
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    readiness.brokerUp = true;
  });

  describe('health', () => {
    it('/health/live answers 200 without running readiness checks', async () => {
      readiness.brokerUp = false;

      const res = await request(app.getHttpServer()).get('/health/live').expect(200);

      expect(res.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    });

    it('/health/ready answers 200 when every check passes', async () => {
      const res = await request(app.getHttpServer()).get('/health/ready').expect(200);

      expect(res.body).toMatchObject({
        status: 'ok',
        details: { postgres: { status: 'up' }, kafka: { status: 'up' } },
      });
    });

    it('/health/ready answers 503 naming the failed check', async () => {
      readiness.brokerUp = false;

      const res = await request(app.getHttpServer()).get('/health/ready').expect(503);

      expect(res.body).toEqual({
        statusCode: 503,
        code: 'HEALTH.NOT_READY',
        message: 'Not ready: kafka',
        details: {
          status: 'error',
          failed: ['kafka'],
          checks: { postgres: { status: 'up' }, kafka: { status: 'down', message: 'no broker available' } },
        },
        correlationId: res.headers[CORRELATION_ID_HEADER],
      });
    });
  });

  describe('correlation id', () => {
    it('echoes a valid caller id and makes it current in the handler', async () => {
      const res = await request(app.getHttpServer())
        .post('/things')
        .set(CORRELATION_ID_HEADER, 'wall-7f3a')
        .send({ title: 'Broken streetlight', name: REPORTER_NAME, phone: REPORTER_PHONE })
        .expect(201);

      expect(res.headers[CORRELATION_ID_HEADER]).toBe('wall-7f3a');
      expect(res.body).toEqual({ title: 'Broken streetlight', correlationId: 'wall-7f3a' });
    });

    it('replaces an unusable caller id with a fresh one', async () => {
      const res = await request(app.getHttpServer())
        .get('/health/live')
        .set(CORRELATION_ID_HEADER, 'x'.repeat(300))
        .expect(200);

      expect(res.headers[CORRELATION_ID_HEADER]).toMatch(UUID);
    });
  });

  describe('error bodies', () => {
    it('maps a domain error by its kind and keeps its code', async () => {
      const res = await request(app.getHttpServer()).get('/things/T-9').expect(404);

      expect(res.body).toEqual({
        statusCode: 404,
        code: 'THING.NOT_FOUND',
        message: 'Thing T-9 not found',
        details: { id: 'T-9' },
        correlationId: res.headers[CORRELATION_ID_HEADER],
      });
    });

    it('answers malformed JSON with 400 HTTP.BAD_REQUEST without quoting the body', async () => {
      const res = await request(app.getHttpServer())
        .post('/things')
        .set('Content-Type', 'application/json')
        .send(`{"name": "${REPORTER_NAME}", "phone": ${REPORTER_PHONE}x}`)
        .expect(400);

      expect(res.body).toEqual({
        statusCode: 400,
        code: 'HTTP.BAD_REQUEST',
        message: 'Request body is not valid JSON',
        correlationId: expect.stringMatching(UUID),
      });
      expect(res.headers[CORRELATION_ID_HEADER]).toBe(res.body.correlationId);
    });

    it('answers an oversized body with 413 HTTP.PAYLOAD_TOO_LARGE', async () => {
      const res = await request(app.getHttpServer())
        .post('/things')
        .set(CORRELATION_ID_HEADER, 'big-1')
        .send({ title: 'x'.repeat(200 * 1024) })
        .expect(413);

      expect(res.body).toEqual({
        statusCode: 413,
        code: 'HTTP.PAYLOAD_TOO_LARGE',
        message: 'request entity too large',
        correlationId: 'big-1',
      });
    });

    it('answers validation failures with VALIDATION.FAILED and the fields', async () => {
      const res = await request(app.getHttpServer())
        .post('/things')
        .send({ title: 'ab', phone: 7 })
        .expect(400);

      expect(res.body).toMatchObject({
        statusCode: 400,
        code: 'VALIDATION.FAILED',
        details: {
          fields: [
            { field: 'title', message: 'title must be longer than or equal to 3 characters' },
            { field: 'name', message: 'name must be a string' },
            { field: 'phone', message: 'phone must be a string' },
          ],
        },
      });
    });

    it('answers an unknown route with 404 HTTP.NOT_FOUND', async () => {
      const res = await request(app.getHttpServer()).delete('/nowhere').expect(404);

      expect(res.body).toMatchObject({ statusCode: 404, code: 'HTTP.NOT_FOUND' });
    });

    it('answers an unexpected failure with a bare 500 and logs its stack', async () => {
      const res = await request(app.getHttpServer())
        .get('/things/boom')
        .set(CORRELATION_ID_HEADER, 'boom-1')
        .expect(500);

      expect(res.body).toEqual({
        statusCode: 500,
        code: 'INTERNAL',
        message: 'Internal server error',
        correlationId: 'boom-1',
      });
      const logged = await waitFor(() =>
        logs().find((l) => l.msg === 'request errored' && l.correlationId === 'boom-1'),
      );
      expect(logged).toMatchObject({
        level: 'error',
        service: 'things',
        res: { statusCode: 500 },
        err: {
          type: 'Error',
          message: expect.stringContaining('password'),
          stack: expect.stringContaining('ThingsController.boom'),
        },
      });
    });
  });

  describe('metrics', () => {
    it('exposes process metrics and request durations by route pattern', async () => {
      await request(app.getHttpServer()).get('/things/T-1').expect(404);
      await request(app.getHttpServer())
        .post('/things')
        .set('Content-Type', 'application/json')
        .send('{')
        .expect(400);

      const res = await request(app.getHttpServer()).get('/metrics').expect(200);

      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toContain('process_cpu_user_seconds_total');
      expect(res.text).toMatch(
        /http_request_duration_seconds_count\{method="GET",route="\/things\/:id",status_code="404"\} \d+/,
      );
      // Rejected by the body parser before routing, yet counted.
      expect(res.text).toMatch(
        /http_request_duration_seconds_count\{method="POST",route="<unmatched>",status_code="400"\} \d+/,
      );
      expect(res.text).not.toContain('/things/T-1');
    });
  });

  describe('logs', () => {
    it('never contain the name or phone of a request body, at any step', async () => {
      await request(app.getHttpServer())
        .post('/things?phone=0912345678')
        .set(CORRELATION_ID_HEADER, 'privacy-1')
        .set('Authorization', 'Bearer eyJhbGciOiJFUzI1NiJ9.secret.sig')
        .send({ title: 'Flooded street', name: REPORTER_NAME, phone: REPORTER_PHONE })
        .expect(201);

      const completed = await waitFor(() =>
        logs().find((l) => l.correlationId === 'privacy-1' && l.msg === 'request completed'),
      );
      const received = logs().find((l) => l.correlationId === 'privacy-1' && l.msg === 'thing received');
      expect(received).toMatchObject({
        service: 'things',
        context: ThingsController.name,
        body: { title: 'Flooded street', name: '[REDACTED]', phone: '[REDACTED]' },
      });
      expect(completed).toMatchObject({
        level: 'info',
        service: 'things',
        req: { id: expect.stringMatching(UUID), method: 'POST', headers: { authorization: '[REDACTED]' } },
        res: { statusCode: 201 },
      });
      const text = lines.filter((line) => line.includes('privacy-1')).join('\n');
      expect(text).not.toContain(REPORTER_NAME);
      expect(text).not.toContain(REPORTER_PHONE);
      expect(text).not.toContain('eyJhbGciOiJFUzI1NiJ9');
    });

    it('never contain a credential sent in a header or the query, including headers nobody listed yet', async () => {
      const credentials = {
        'Idempotency-Key': 'idem-6f1c0d1e-2b7a',
        Cookie: 'sid=cookie-9a8b7c',
        'X-Api-Key': 'ioc_k1_apikey-5d4c',
        'X-Vendor-Signature': 'vendor-sig-3e2f',
      };
      await request(app.getHttpServer())
        .post('/things?api_key=query-key-1a2b&title=x')
        .set(CORRELATION_ID_HEADER, 'credentials-1')
        .set(credentials)
        .set('User-Agent', 'citizen-app/3.1')
        .send({ title: 'Flooded street', name: REPORTER_NAME, phone: REPORTER_PHONE })
        .expect(201);

      const completed = await waitFor(() =>
        logs().find((l) => l.correlationId === 'credentials-1' && l.msg === 'request completed'),
      );
      expect(completed).toMatchObject({
        req: {
          url: expect.stringContaining('title=x'),
          headers: {
            'idempotency-key': '[REDACTED]',
            cookie: '[REDACTED]',
            'x-api-key': '[REDACTED]',
            'x-vendor-signature': '[REDACTED]',
            'user-agent': 'citizen-app/3.1',
            [CORRELATION_ID_HEADER]: 'credentials-1',
          },
        },
      });
      const text = lines.filter((line) => line.includes('credentials-1')).join('\n');
      for (const value of [...Object.values(credentials), 'query-key-1a2b'])
        expect(text).not.toContain(value);
    });

    it('record requests the body parser rejected, without their body', async () => {
      await request(app.getHttpServer())
        .post('/things')
        .set(CORRELATION_ID_HEADER, 'early-1')
        .set('Content-Type', 'application/json')
        .send(`{"name": "${REPORTER_NAME}", "phone": "${REPORTER_PHONE}"`)
        .expect(400);

      const rejected = await waitFor(() => logs().find((l) => l.correlationId === 'early-1'));
      expect(rejected).toMatchObject({
        level: 'warn',
        msg: 'Request rejected before routing',
        method: 'POST',
        statusCode: 400,
        code: 'HTTP.BAD_REQUEST',
      });
      expect(lines.join('\n')).not.toContain(REPORTER_PHONE);
    });
  });
});
