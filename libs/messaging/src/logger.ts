/**
 * The part of a pino logger the messaging lib uses, so a pino (or nestjs-pino `PinoLogger`) instance can
 * be passed as is. Fields never carry payloads, keys or header values (DESIGN "Privacy").
 */
export interface MessagingLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const ignore = (): void => undefined;

/** Discards everything; the default when no logger is given. */
export const silentLogger: MessagingLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
