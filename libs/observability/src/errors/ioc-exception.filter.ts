import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Injectable,
  Logger,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { UnknownElementException } from '@nestjs/core/errors/exceptions/unknown-element.exception';
import type { Request, Response } from 'express';
import { currentCorrelationId, newCorrelationId } from '../logging/correlation';
import { HttpObservation } from '../logging/http-observation';
import { redactUrl } from '../logging/redact';
import { type ErrorBody, toErrorResponse } from './error-response';
import { HttpErrorRenderer } from './http-error-renderer';

/** A Socket.IO client, as far as this filter needs it. */
interface WsClient {
  emit(event: string, payload: unknown): unknown;
}

/**
 * The one global exception filter (registered by ObservabilityModule): every error leaves as
 * `{ statusCode, code, message, details?, correlationId }`, unless an {@link HttpErrorRenderer} provided by
 * the app answers for the request's routes in their protocol's shape. Socket.IO handlers get the same body
 * on the `exception` event.
 */
@Catch()
@Injectable()
export class IocExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(IocExceptionFilter.name);
  private renderers?: readonly HttpErrorRenderer[];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly observation: HttpObservation,
    @Optional() private readonly moduleRef?: ModuleRef,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { headers, ...error } = toErrorResponse(exception);
    if (host.getType() === 'ws') {
      const correlationId = currentCorrelationId() ?? newCorrelationId();
      if (error.statusCode >= 500) {
        this.logger.error({ err: asError(exception), correlationId, code: error.code }, 'Handler failed');
      }
      host
        .switchToWs()
        .getClient<WsClient>()
        .emit('exception', { ...error, correlationId });
      return;
    }
    if (host.getType() !== 'http') throw exception;

    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response & { err?: Error }>();
    const { correlationId, firstTime } = this.observation.begin(req, res);
    if (error.statusCode >= 500) {
      // The request line (RequestLog) carries `res.err`: the real error and its stack, once.
      res.err = asError(exception);
    }
    if (firstTime) {
      // Rejected before module middleware ran (body parser), so the request logger never saw it.
      const entry = {
        correlationId,
        method: req.method,
        url: redactUrl(req.originalUrl),
        statusCode: error.statusCode,
        code: error.code,
      };
      if (error.statusCode >= 500) {
        this.logger.error({ ...entry, err: res.err }, 'Request failed before routing');
      } else {
        this.logger.warn(entry, 'Request rejected before routing');
      }
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    const { httpAdapter } = this.adapterHost;
    for (const [name, value] of Object.entries(headers)) httpAdapter.setHeader(res, name, value);
    const body: ErrorBody = { ...error, correlationId };
    const renderer = this.rendererFor(req);
    if (renderer) renderer.render(body, req, res);
    else httpAdapter.reply(res, body, error.statusCode);
  }

  private rendererFor(req: Request): HttpErrorRenderer | undefined {
    // Looked up once, lazily: the filter is created before the app's own modules have been resolved.
    this.renderers ??= this.findRenderers();
    return this.renderers.find((renderer) => renderer.handles(req));
  }

  private findRenderers(): readonly HttpErrorRenderer[] {
    if (!this.moduleRef) return [];
    try {
      return this.moduleRef.get(HttpErrorRenderer, { strict: false, each: true });
    } catch (error) {
      if (error instanceof UnknownElementException) return [];
      throw error;
    }
  }
}

function asError(exception: unknown): Error {
  return exception instanceof Error ? exception : new Error(`Non-error thrown: ${typeof exception}`);
}
