import { stdSerializers } from 'pino';
import { redact } from './redact';

// Properties some libraries hang on errors that carry user data: TypeORM's QueryFailedError keeps
// the query `parameters` (a reporter's phone on a failed INSERT), pg's `detail` quotes key values,
// body-parser keeps the raw `body`. `name` repeats `type` and would only show up redacted.
const DROPPED = ['parameters', 'detail', 'body', 'where', 'name'];

/**
 * pino's error serializer minus properties known to carry user data, redacted like any log
 * object. Accepts an already serialized error too: pino-http wraps custom serializers that way.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  const source: object =
    Object.prototype.toString.call(error) === '[object Error]'
      ? stdSerializers.err(error as Error)
      : Object(error);
  const serialized: Record<string, unknown> = Object.fromEntries(Object.entries(source));
  for (const key of DROPPED) delete serialized[key];
  return redact(serialized);
}
