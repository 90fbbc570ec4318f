import { Writable } from 'node:stream';

/** Every JSON log line a service writes, to check what reached the logs (docs/architecture.md, "Privacy"). */
export interface ServiceLogCapture {
  readonly stream: Writable;
  /** The raw lines, as they would reach a log collector. */
  text(): string;
}

/** A log destination for `ServiceWorld.boot` that keeps every line. */
export function captureLogs(): ServiceLogCapture {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}
