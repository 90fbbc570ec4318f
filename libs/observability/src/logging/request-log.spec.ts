import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { LogLevel } from '../config/env';
import { CORRELATION_ID_HEADER, runWithRequestCorrelation, traceFrom } from './correlation';
import { createRootLogger } from './logger-options';
import { RequestLog } from './request-log';

function capture(level: LogLevel) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createRootLogger({ service: 'reports', level, destination: stream });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

function anExchange(url = '/reports?phone=0912345678', headers: Record<string, string> = {}) {
  const req = Object.assign(new EventEmitter(), {
    method: 'POST',
    url,
    originalUrl: url,
    headers: { [CORRELATION_ID_HEADER]: 'req-1', authorization: 'Bearer secret-token', ...headers },
    socket: { remoteAddress: '127.0.0.1', remotePort: 5000 },
  }) as unknown as IncomingMessage;
  const res = Object.assign(new EventEmitter(), {
    statusCode: 201,
    getHeaders: () => ({ 'content-type': 'application/json', 'set-cookie': 'sid=abc' }),
  }) as unknown as ServerResponse & { err?: Error };
  const end = (statusCode: number, err?: Error) => {
    Object.assign(res, { statusCode, err });
    res.emit('finish');
    res.emit('close');
  };
  return { req, res, end };
}

describe(RequestLog.name, () => {
  it('writes one redacted `request completed` line with the flow ids when the response ends', () => {
    const { logger, lines } = capture('info');
    const { req, res, end } = anExchange();

    new RequestLog(logger).track(req, res);
    end(201);

    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({
      level: 'info',
      msg: 'request completed',
      correlationId: 'req-1',
      traceId: traceFrom(req).traceId,
      req: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        method: 'POST',
        headers: { authorization: '[REDACTED]' },
      },
      res: { statusCode: 201, headers: { 'set-cookie': '[REDACTED]' } },
      responseTime: expect.any(Number),
    });
    expect(JSON.stringify(lines())).not.toMatch(/0912345678|secret-token|sid=abc/);
  });

  it.each([
    [404, undefined, 'warn', 'request completed'],
    [500, new Error('boom'), 'error', 'request errored'],
    [503, undefined, 'error', 'request errored'],
  ] as const)('logs a %i at its level', (status, err, level, msg) => {
    const { logger, lines } = capture('warn');
    const { req, res, end } = anExchange();

    new RequestLog(logger).track(req, res);
    end(status, err);

    expect(lines()).toEqual([
      expect.objectContaining({ level, msg, res: expect.objectContaining({ statusCode: status }) }),
    ]);
    if (level === 'error') expect(lines()[0].err).toBeDefined();
  });

  it('writes nothing for a success at `warn`, and nothing for the scraped operational paths', () => {
    const { logger, lines } = capture('warn');
    const ok = anExchange();
    const { logger: infoLogger, lines: infoLines } = capture('info');
    const scrape = anExchange('/metrics');

    new RequestLog(logger).track(ok.req, ok.res);
    ok.end(201);
    new RequestLog(infoLogger).track(scrape.req, scrape.res);
    scrape.end(200);

    expect(lines()).toEqual([]);
    expect(infoLines()).toEqual([]);
  });

  it('puts the request, redacted, on the lines written while it is handled', () => {
    const { logger, lines } = capture('info');
    const { req } = anExchange();

    runWithRequestCorrelation(req, 'req-1', traceFrom(req), () => logger.info({ step: 1 }, 'thing received'));

    expect(lines()[0]).toMatchObject({
      msg: 'thing received',
      correlationId: 'req-1',
      req: { method: 'POST', headers: { authorization: '[REDACTED]' } },
    });
    expect(JSON.stringify(lines())).not.toMatch(/0912345678|secret-token/);
  });
});
