/**
 * Read and parse one JSON file the user named (a request file, a task definition template):
 * refused above a size limit before reading, a byte-order mark ignored, and every failure a
 * message of its own. A message never quotes the file's text (it may hold secrets): a parse
 * error says where, by line and column.
 */
import { readFileSync, statSync } from 'node:fs';

export const MAX_JSON_BYTES = 64 * 1024 * 1024;

export type JsonFile =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly reason: 'unreadable' | 'too-large' | 'invalid';
      readonly message: string;
    };

export function readJsonText(path: string): JsonFile {
  let text: string;
  try {
    if (statSync(path).size > MAX_JSON_BYTES) {
      return {
        ok: false,
        reason: 'too-large',
        message: `file is larger than ${MAX_JSON_BYTES} bytes`,
      };
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
    return { ok: false, reason: 'unreadable', message };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const message =
      err instanceof RangeError ? 'JSON nests too deeply' : `not valid json${where(text, err)}`;
    return { ok: false, reason: 'invalid', message };
  }
}

/** `: line L column C` when the parser's message gives a position. */
export function where(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : '';
  const at = / position (\d+)/.exec(message);
  if (text.trim() === '') return ': the file is empty';
  if (!at) return '';
  const pos = Math.min(Number(at[1]), text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `: line ${line} column ${pos - lineStart + 1}`;
}
