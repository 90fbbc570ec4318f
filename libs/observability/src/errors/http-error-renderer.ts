import type { Request, Response } from 'express';
import type { ErrorBody } from './error-response';

/**
 * Writes the error answers of a family of routes whose clients expect another shape than {@link ErrorBody},
 * such as a standard protocol's own error document. Provide it under this class as token in any module: the
 * global {@link IocExceptionFilter} still translates, logs, counts and correlates every error, including those
 * raised before routing (body parser, unknown route), and hands the answer to the first renderer that
 * handles the request.
 */
export abstract class HttpErrorRenderer {
  /** Whether this renderer answers for `req`; decided by the path, since no route may have matched. */
  abstract handles(req: Request): boolean;

  /** Sends the answer for `error`; the filter has already set the headers the error asked for. */
  abstract render(error: ErrorBody, req: Request, res: Response): void;
}
