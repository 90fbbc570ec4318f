import type { ValueProvider } from '@nestjs/common';
import type { z } from 'zod';

/** An abstract class whose instances have the shape of `T`; used only as a DI token. */
export type ConfigToken<T> = abstract new () => T;

/**
 * Makes a typed DI token for a config schema, so services inject `ReportsConfig` rather than
 * reading `process.env` (docs/architecture.md, "Adding a service"):
 * `export class ReportsConfig extends configToken(reportsEnv) {}`
 */
export function configToken<S extends z.ZodType>(_schema: S): ConfigToken<Readonly<z.infer<S>>> {
  abstract class Config {}
  return Config as ConfigToken<Readonly<z.infer<S>>>;
}

/** Provides the config parsed once in main.ts under its token: `provideConfig(ReportsConfig, config)`. */
export function provideConfig<T>(token: ConfigToken<T>, value: T): ValueProvider<T> {
  return { provide: token, useValue: Object.freeze(value) };
}
