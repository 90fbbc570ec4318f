import {
  type CallHandler,
  type ExecutionContext,
  mixin,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/**
 * Nest's FilesInterceptor for `field`, run only for multipart requests: photos come in no other way, and
 * multer's pass over every JSON submission (a promise, a middleware run and a response listener) was a
 * measurable part of a JSON submission's CPU in a profile (see bench/reports/run.ts).
 */
export function PhotoUploads(field: string): Type<NestInterceptor> {
  // The constructor, and so multer's options from MulterModule, are FilesInterceptor's own.
  class PhotoUploadsInterceptor extends FilesInterceptor(field) {
    override intercept(
      context: ExecutionContext,
      next: CallHandler,
    ): Observable<unknown> | Promise<Observable<unknown>> {
      const request = context.switchToHttp().getRequest<Request>();
      if (!request.is('multipart/form-data')) return next.handle();
      return super.intercept(context, next);
    }
  }
  return mixin(PhotoUploadsInterceptor);
}
