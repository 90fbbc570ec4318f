import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Get,
  Injectable,
  type NestInterceptor,
  Post,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiProduces } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import {
  OPEN311_CONTENT_TYPES,
  type Open311Document,
  open311FormatOf,
  type Open311Value,
  serializeOpen311,
} from './open311.format';

const OPEN311_DOCUMENT = 'open311:document';

/**
 * An Open311 resource in both of the spec's formats: `GET <path>.xml` and `GET <path>.json` (or POST), answered
 * as `document` by {@link Open311FormatInterceptor}.
 */
export function Open311Resource(method: 'GET' | 'POST', path: string, document: Open311Document) {
  const route = method === 'GET' ? Get : Post;
  return applyDecorators(
    route([`${path}.xml`, `${path}.json`]),
    SetMetadata(OPEN311_DOCUMENT, document),
    ApiProduces(OPEN311_CONTENT_TYPES.xml, OPEN311_CONTENT_TYPES.json),
  );
}

/**
 * Writes what an Open311 handler returns in the format its path asked for, through the one serializer, so the
 * XML and the JSON answer always carry the same data. Errors take the same way (Open311ErrorRenderer).
 */
@Injectable()
export class Open311FormatInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<string> {
    const document = this.reflector.get<Open311Document | undefined>(OPEN311_DOCUMENT, context.getHandler());
    if (document === undefined) throw new Error(`${context.getHandler().name} is not an @Open311Resource`);
    const http = context.switchToHttp();
    const format = open311FormatOf(http.getRequest<Request>().originalUrl);
    return next.handle().pipe(
      map((value: Open311Value) => {
        const { contentType, body } = serializeOpen311(document, value, format);
        http.getResponse<Response>().setHeader('Content-Type', contentType);
        return body;
      }),
    );
  }
}
