import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  mixin,
  type NestInterceptor,
  type NestMiddleware,
  type Type,
} from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { FilesInterceptor } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { lastValueFrom, type Observable, of } from 'rxjs';

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

/** The `photos` of a citizen's submission (`POST /reports`), read by {@link SubmissionPhotosMiddleware}. */
export const SubmissionPhotos = PhotoUploads('photos');

/**
 * Runs {@link SubmissionPhotos} (the same multer options, limits and error answers) as a middleware of
 * `POST /reports` rather than as the route's interceptor: a route with an interceptor goes through Nest's
 * interceptor chain (rxjs and async-context bindings) on every request, about 0.1 ms of CPU a JSON
 * submission here (docs/bench.md, "Reports"), and a JSON submission passes this middleware with one
 * content-type check. Only for a public route: a middleware runs before the guards, so on a route that
 * needs a caller the interceptor stays, and a photo is read only once the caller is known.
 */
@Injectable()
export class SubmissionPhotosMiddleware implements NestMiddleware {
  constructor(@Inject(SubmissionPhotos) private readonly photos: NestInterceptor) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (req.is('multipart/form-data')) {
      const handled = await this.photos.intercept(new ExecutionContextHost([req, res, next]), {
        handle: () => of(undefined),
      });
      await lastValueFrom(handled);
    }
    next();
  }
}
