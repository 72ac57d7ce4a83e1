/**
 * Read and parse one JSON file the user named (a request file, a baseline, a task definition
 * template): refused above a size limit (before and while reading) and when it is not a regular
 * file (a device or FIFO may never end), a byte-order mark ignored, and every failure a
 * message of its own. A message never quotes the file's text (it may hold secrets): a parse
 * error says where, by line and column.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export const MAX_JSON_BYTES = 64 * 1024 * 1024;

export type JsonFile =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly reason: 'unreadable' | 'too-large' | 'invalid';
      readonly message: string;
    };

export type TextFile =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: 'unreadable' | 'too-large'; readonly message: string };

/**
 * Read one file the user named as UTF-8 text: refused when it is not a regular file (a FIFO
 * would block the open and the read, a device such as /dev/zero never ends) or above
 * `maxBytes` (before and while reading: the file may grow).
 */
export function readTextFile(path: string, maxBytes: number = MAX_JSON_BYTES): TextFile {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: opening a FIFO would wait for a writer (it is refused below)
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return unreadable('EISDIR');
    // a device or FIFO has no size to check and may never end (/dev/zero)
    if (!stat.isFile()) return { ok: false, reason: 'unreadable', message: 'not a regular file' };
    const tooLarge = {
      ok: false,
      reason: 'too-large',
      message: `file is larger than ${maxBytes} bytes`,
    } as const;
    if (stat.size > maxBytes) return tooLarge;
    let buf = Buffer.allocUnsafe(stat.size + 1);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (total > maxBytes) return tooLarge;
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
    }
    if (total > maxBytes) return tooLarge;
    return { ok: true, text: buf.toString('utf8', 0, total) };
  } catch (err) {
    return unreadable((err as NodeJS.ErrnoException).code);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function readJsonText(path: string): JsonFile {
  const read = readTextFile(path);
  if (!read.ok) return read;
  let text = read.text;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const message =
      err instanceof RangeError ? 'JSON nests too deeply' : `not valid json${where(text, err)}`;
    return { ok: false, reason: 'invalid', message };
  }
}

function unreadable(code: string | undefined): TextFile & { ok: false } {
  const message =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EISDIR'
        ? 'is a directory, not a file'
        : `cannot read file (${code ?? 'error'})`;
  return { ok: false, reason: 'unreadable', message };
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
