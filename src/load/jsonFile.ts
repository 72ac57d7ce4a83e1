/**
 * Read and parse one JSON file the user named (a request file, a baseline, a task definition
 * template, a snapshot file): refused above a size limit (before and while reading) and when it
 * is not a regular file (a device or FIFO may never end), decoded as UTF-8 or, after a
 * byte-order mark, UTF-16, and every failure a message of its own. A message never quotes the
 * file's text (it may hold secrets): a parse error says where, by line and column.
 */
import { constants, isUtf8 } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { parseJsonFindingDuplicates, type DuplicateMember } from '../jsonDuplicates.js';
import { jsonFaultPlace } from '../jsonSyntax.js';
import { shownValue, type Problem } from '../problems.js';

export const MAX_JSON_BYTES = 64 * 1024 * 1024;

/**
 * The limit for a snapshot file: the largest text Node.js can hold (about 512 MiB). A snapshot
 * file is an AWS CLI output, and `get-account-authorization-details` of a large account runs to
 * well over 64 MB: refusing it would leave the whole account unknown.
 */
export const MAX_SNAPSHOT_FILE_BYTES = constants.MAX_STRING_LENGTH;

export type JsonFile =
  | {
      readonly ok: true;
      readonly value: unknown;
      /**
       * members whose name their object already had (the first MAX_LISTED); absent when there
       * are none. Each reader reports them (a snapshot file: an input error at each, so what
       * holds one is unknown; a request file is refused whole): the value holds only the last.
       */
      readonly duplicates?: readonly DuplicateMember[];
      /** more duplicate members than `duplicates` lists */
      readonly moreDuplicates?: true;
    }
  | {
      readonly ok: false;
      readonly reason: 'unreadable' | 'too-large' | 'invalid';
      readonly message: string;
    };

export type TextFile =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      readonly reason: 'unreadable' | 'too-large' | 'invalid';
      readonly message: string;
    };

/**
 * Read one file the user named as text: refused when it is not a regular file (a FIFO
 * would block the open and the read, a device such as /dev/zero never ends) or above
 * `maxBytes` (before and while reading: the file may grow). The text is UTF-8, or UTF-16 when
 * a byte-order mark says so (Windows PowerShell 5 writes `aws ... > file.json` as UTF-16LE with
 * one); a byte-order mark is not part of the text.
 */
export function readTextFile(path: string, maxBytes: number = MAX_JSON_BYTES): TextFile {
  const read = readText(path, maxBytes);
  if (!read.ok)
    for (const h of readsHashes) h.update(`${path}\u0000${read.reason}: ${read.message}\u0000`);
  return read;
}

/** The hashes of the readsDigested calls running (nested ones too) that every file read feeds. */
const readsHashes: Hash[] = [];

/**
 * `read()`, with a digest of every file it read with readTextFile: the path and the
 * bytes of each, in the order read, or why it could not be read. Two loads of an input with the
 * same digest read the same files with the same bytes: a worker thread of `analyze`, which loads
 * the input again, is used only when its load has the main thread's digest
 * (src/cli/parallelAnalyze.ts); a file changed between the two reads is told. A call inside
 * `read()` digests its own reads, which count in the outer digest too.
 */
export function readsDigested<T>(read: () => T): { readonly value: T; readonly digest: string } {
  const hash = createHash('sha256');
  readsHashes.push(hash);
  try {
    const value = read();
    return { value, digest: hash.digest('hex') };
  } finally {
    readsHashes.splice(readsHashes.lastIndexOf(hash), 1);
  }
}

function readText(path: string, maxBytes: number): TextFile {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: opening a FIFO would wait for a writer (it is refused below)
    fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return unreadable('EISDIR');
    // a device or FIFO has no size to check and may never end (/dev/zero)
    if (!stat.isFile()) return { ok: false, reason: 'unreadable', message: 'not a regular file' };
    if (stat.size > maxBytes) return tooLarge(maxBytes);
    let buf = Buffer.allocUnsafe(stat.size + 1);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (total > maxBytes) return tooLarge(maxBytes);
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
    }
    if (total > maxBytes) return tooLarge(maxBytes);
    // before decode, which may swap the bytes in place
    for (const h of readsHashes)
      h.update(`${path}\u0000${total}\u0000`).update(buf.subarray(0, total));
    return decode(buf, total);
  } catch (err) {
    return unreadable((err as NodeJS.ErrnoException).code);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The JSON value of the file at `path`, with the member names an object holds twice
 * (src/jsonDuplicates.ts), for the caller to report.
 */
export function readJsonText(path: string, maxBytes: number = MAX_JSON_BYTES): JsonFile {
  const read = readTextFile(path, maxBytes);
  if (!read.ok) return read;
  const text = read.text;
  try {
    const { value, duplicates, more } = parseJsonFindingDuplicates(text);
    if (duplicates.length === 0) return { ok: true, value };
    return more
      ? { ok: true, value, duplicates, moreDuplicates: true }
      : { ok: true, value, duplicates };
  } catch (err) {
    const message =
      err instanceof RangeError ? 'JSON nests too deeply' : `not valid json${where(text)}`;
    return { ok: false, reason: 'invalid', message };
  }
}

function tooLarge(maxBytes: number): TextFile & { ok: false } {
  return { ok: false, reason: 'too-large', message: `file is larger than ${maxBytes} bytes` };
}

/**
 * The text of `buf[0, end)`: UTF-16 after its byte-order mark (FF FE little-endian, FE FF
 * big-endian), else UTF-8 without its mark (EF BB BF); bytes that are not valid UTF-8 are read
 * as U+FFFD. `buf` is the caller's own: a big-endian text is swapped in place.
 */
function decode(buf: Buffer, end: number): TextFile {
  const b0 = end >= 2 ? buf[0] : undefined;
  const b1 = end >= 2 ? buf[1] : undefined;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    if (end % 2 !== 0) {
      return {
        ok: false,
        reason: 'invalid',
        message: 'not valid UTF-16 text: it has a byte-order mark and an odd number of bytes',
      };
    }
    const body = buf.subarray(2, end);
    if (b0 === 0xfe) body.swap16();
    return { ok: true, text: body.toString('utf16le') };
  }
  const start = end >= 3 && b0 === 0xef && b1 === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const text = buf.toString('utf8', start, end);
  // bytes that are not UTF-8 (a Latin-1 `é`) would be read as U+FFFD, changing a name in
  // silence (a project or role that then matches nothing): the file is not valid text. Checked
  // only when the replacement character appears, as a text may hold it written as such.
  if (text.includes('\uFFFD') && !isUtf8(buf.subarray(start, end)))
    return {
      ok: false,
      reason: 'invalid',
      message: 'not valid UTF-8 text (nor UTF-16 with a byte-order mark)',
    };
  return { ok: true, text };
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

/**
 * Where the JSON text that JSON.parse refused stops being JSON, as `: line L column C` (or that
 * the file is empty): found by jsonErrorOffset, which also places the unexpected tokens
 * JSON.parse names without a position, and never quotes the text.
 */
export function where(text: string): string {
  if (text.trim() === '') return ': the file is empty';
  const place = jsonFaultPlace(text);
  return place === undefined ? '' : `: ${place}`;
}

/**
 * The input errors of a file whose objects write a member name twice (JsonFile.duplicates), one
 * at each, for a reader that does not read such a file: JSON.parse keeps the last copy where
 * another reader may keep the first, so `what` (`the manifest`) could be read two ways. Empty
 * when there is none.
 */
export function duplicateMemberProblems(
  file: string,
  read: { readonly duplicates?: readonly DuplicateMember[]; readonly moreDuplicates?: true },
  id: string,
  what: string,
): Problem[] {
  const out: Problem[] = [];
  for (const d of read.duplicates ?? [])
    out.push({
      file,
      pointer: d.pointer,
      message: `the member ${shownValue(d.name, 80)} appears twice in one object: JSON readers keep one of them, so ${what} could be read two ways and is not read`,
      id,
      severity: 'error',
    });
  if (read.moreDuplicates && read.duplicates)
    out.push({
      file,
      pointer: '',
      message: `more than ${read.duplicates.length} member names appear twice in the objects of ${what}: it could be read more than one way`,
      id,
      severity: 'error',
    });
  return out;
}
