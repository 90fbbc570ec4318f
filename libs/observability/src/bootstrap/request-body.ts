import { HttpStatus, Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { json } from 'express';
import { isUtf8 } from 'node:buffer';
import { MAX_INPUT_DEPTH } from '../errors/input-safety';
import type { ErrorBody } from '../errors/error-response';
import { PayloadTooLargeError, ValidationFailedError } from '../errors/ioc-error';
import { newCorrelationId } from '../logging/correlation';

/** Options of {@link jsonBodyParser}. */
export interface JsonBodyParserOptions {
  /** Largest body, in bytes or body-parser syntax (`256kb`); a larger one answers 413. */
  limit: number | string;
  /** Media types to parse (type-is syntax); `application/json` when absent. */
  type?: string | string[];
}

/**
 * The JSON body parser of every route. On top of body-parser's own checks it refuses, before parsing, a
 * body that is not UTF-8 (RFC 8259 §8.1; body-parser would decode other charsets, and store invalid bytes
 * as U+FFFD) and one nested deeper than {@link MAX_INPUT_DEPTH}, which parses fine but would exhaust the
 * stack of the recursive code that walks it later.
 */
export function jsonBodyParser(options: JsonBodyParserOptions): RequestHandler {
  return json({ limit: options.limit, type: options.type ?? 'application/json', verify: verifyJsonBytes });
}

function verifyJsonBytes(_req: Request, _res: Response, body: Buffer, encoding: string | null): void {
  if (encoding !== null && !/^utf-?8$/i.test(encoding)) {
    throw Object.assign(new Error(`unsupported charset "${encoding.toUpperCase()}": JSON must be UTF-8`), {
      status: 415,
      expose: true,
    });
  }
  if (!isUtf8(body)) {
    throw new ValidationFailedError([{ field: 'body', message: 'body must be valid UTF-8' }]);
  }
  if (nestingExceeds(body, MAX_INPUT_DEPTH)) {
    throw new ValidationFailedError([
      { field: 'body', message: `body is nested deeper than ${MAX_INPUT_DEPTH} levels` },
    ]);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]);
const CLOSE = new Set([0x5d, 0x7d]);

/**
 * Whether the arrays and objects of a JSON text nest deeper than `max`, in one pass over its bytes: in UTF-8
 * the structural characters and quotes never occur inside a multi-byte character.
 */
function nestingExceeds(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (OPEN.has(byte)) {
      if (++depth > max) return true;
    } else if (CLOSE.has(byte)) {
      depth--;
    }
  }
  return false;
}

/**
 * Answers 413 as soon as the headers arrive when `Content-Length` announces more than any route takes.
 * Without it body-parser and multer refuse such a request only after reading (and discarding) the whole
 * announced body, which holds the connection for as long as the client cares to keep it open. The
 * connection is closed after the answer, as the unread body cannot be skipped.
 */
export function declaredLengthLimit(maxBytes: number): RequestHandler {
  return function declaredLengthLimit(req: Request, res: Response, next: NextFunction): void {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.setHeader('Connection', 'close');
      next(
        new PayloadTooLargeError(`Request body is larger than ${maxBytes} bytes`, {
          code: 'HTTP.PAYLOAD_TOO_LARGE',
          details: { limitBytes: maxBytes },
        }),
      );
      return;
    }
    next();
  };
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Bytes of a size in body-parser syntax (`64kb`, `1mb`, `512`; units of 1024). */
export function byteSize(size: number | string): number {
  if (typeof size === 'number') return size;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(size);
  if (match === null) throw new Error(`not a size: ${size}`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]);
}

const clientErrorLogger = new Logger('HttpServer');

/**
 * Answers what Node's HTTP parser refuses before any middleware runs (headers over the size limit: 431, a
 * malformed request line or header: 400) with the same error body as every other error, instead of Node's
 * bare status line. The connection is closed: the parser cannot find where the next request would start.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const statusCode =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? HttpStatus.REQUEST_TIMEOUT
          : HttpStatus.BAD_REQUEST;
    const reason = STATUS_CODES[statusCode] ?? 'Bad Request';
    const body: ErrorBody = {
      statusCode,
      code: `HTTP.${reason.toUpperCase().replace(/ /g, '_')}`,
      message: reason,
      correlationId: newCorrelationId(),
    };
    clientErrorLogger.warn(
      { correlationId: body.correlationId, statusCode, parserCode: error.code },
      'Request refused by the HTTP parser',
    );
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${statusCode} ${reason}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(text)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        text,
    );
  });
}
