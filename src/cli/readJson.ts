/**
 * Read and parse a JSON input file named on the command line. Errors become one-line problems
 * naming the file, never stack traces and never the file's text (src/load/jsonFile.ts).
 */
import { readJsonText } from '../load/jsonFile.js';
import type { Problem } from '../problems.js';

export type JsonRead = { ok: true; value: unknown } | { ok: false; problem: Problem };

const IDS = {
  unreadable: 'input.file.unreadable',
  'too-large': 'input.file.too-large',
  invalid: 'input.json.invalid',
} as const;

export function readJsonFile(path: string, displayName = path): JsonRead {
  const read = readJsonText(path);
  if (read.ok) return read;
  return {
    ok: false,
    problem: {
      file: displayName,
      pointer: '',
      message: read.message,
      id: IDS[read.reason],
      severity: 'error',
    },
  };
}
