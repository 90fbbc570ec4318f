import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReferenceDataProblem } from '../reference-data.errors';

export type JsonRead =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: ReferenceDataProblem };

// fatal: a file that is not UTF-8 is refused rather than silently patched with U+FFFD; a BOM is dropped.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads and parses one JSON file of a data folder, refusing files larger than `maxBytes` before reading them. */
export async function readJsonFile(dir: string, file: string, maxBytes: number): Promise<JsonRead> {
  const fail = (code: ReferenceDataProblem['code'], message: string): JsonRead => ({
    ok: false,
    problem: { code, file, path: '', message },
  });
  const path = join(dir, file);
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) return fail('FILE_MISSING', 'is not a regular file');
    if (info.size > maxBytes)
      return fail('FILE_TOO_LARGE', `is ${info.size} bytes, more than the limit of ${maxBytes} bytes`);
    bytes = await readFile(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return fail('FILE_MISSING', 'file not found');
    return fail('FILE_UNREADABLE', `cannot be read (${isErrno(error) ? error.code : 'unknown error'})`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return fail('INVALID_JSON', 'is not valid UTF-8');
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return fail('INVALID_JSON', `is not valid JSON: ${describeJsonError(error, text)}`);
  }
}

function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  if (!position) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

// Duck-typed: errors from node:fs need not be instances of this realm's Error (e.g. under Jest).
function isErrno(error: unknown, code?: string): error is NodeJS.ErrnoException {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    (code === undefined || error.code === code)
  );
}
