// kafkajs keeps its table of broker error codes (and which of them it retries) out of its public types;
// the log bridge (../logger.ts) reads it to tell expected, retried conditions from failures.
declare module 'kafkajs/src/protocol/error' {
  export const errorCodes: ReadonlyArray<{
    readonly type: string;
    readonly code: number;
    readonly retriable: boolean;
    readonly message: string;
  }>;
}
