import { bootstrapOrExit, type BootstrapIo } from './bootstrap';
import { ConfigError } from './config-error';

function fakeIo(): BootstrapIo & { written: string; exitCode?: number } {
  const io = {
    written: '',
    exitCode: undefined as number | undefined,
    stderr: { write: (text: string) => (io.written += text) },
    exit: (code: number) => {
      io.exitCode = code;
    },
  };
  return io;
}

describe(bootstrapOrExit.name, () => {
  it('prints only the message of a ConfigError and exits with 1', async () => {
    const io = fakeIo();

    await bootstrapOrExit(async () => {
      throw new ConfigError(['KAFKA_BROKERS is required'], ['KAFKA_BROKERS']);
    }, io);

    expect(io.written).toBe('Invalid configuration: KAFKA_BROKERS is required\n');
    expect(io.exitCode).toBe(1);
  });

  it('prints the stack of any other failure and exits with 1', async () => {
    const io = fakeIo();

    await bootstrapOrExit(async () => {
      throw new Error('port 3000 in use');
    }, io);

    expect(io.written).toMatch(/^Start-up failed: Error: port 3000 in use\n\s+at /);
    expect(io.exitCode).toBe(1);
  });

  it('leaves a successful start alone', async () => {
    const io = fakeIo();

    await bootstrapOrExit(async () => 'listening', io);

    expect(io.written).toBe('');
    expect(io.exitCode).toBeUndefined();
  });
});
