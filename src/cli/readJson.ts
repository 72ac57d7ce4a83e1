/**
 * Read and parse a JSON input file. Errors become one-line problems naming the file, never
 * stack traces. Files over the size limit are refused before parsing.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Problem } from '../problems.js';

export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export type JsonRead = { ok: true; value: unknown } | { ok: false; problem: Problem };

export function readJsonFile(path: string, displayName = path): JsonRead {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_INPUT_BYTES) {
      return fail(
        displayName,
        `file is larger than ${MAX_INPUT_BYTES} bytes`,
        'input.file.too-large',
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot read file (${code ?? 'error'})`;
    return fail(displayName, message, 'input.file.unreadable');
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const message =
      err instanceof RangeError
        ? 'JSON nests too deeply'
        : `invalid JSON: ${(err as Error).message.split('\n')[0]}`;
    return fail(displayName, message, 'input.json.invalid');
  }
}

function fail(file: string, message: string, id: string): JsonRead {
  return { ok: false, problem: { file, pointer: '', message, id, severity: 'error' } };
}
