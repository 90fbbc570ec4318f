import { ConfigError } from './config-error';

/** Where {@link bootstrapOrExit} reports; injectable so the behaviour can be tested. */
export interface BootstrapIo {
  stderr: { write(text: string): unknown };
  exit(code: number): void;
}

const processIo: BootstrapIo = { stderr: process.stderr, exit: (code) => process.exit(code) };

/**
 * Runs an app's bootstrap and stops the process with exit code 1 if it fails. A ConfigError
 * prints only its message, which names the variable (docs/architecture.md,
 * "Config"); anything else prints its stack.
 */
export async function bootstrapOrExit(
  bootstrap: () => Promise<unknown>,
  io: BootstrapIo = processIo,
): Promise<void> {
  try {
    await bootstrap();
  } catch (error) {
    const text =
      error instanceof ConfigError
        ? error.message
        : `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    io.stderr.write(`${text}\n`);
    io.exit(1);
  }
}
