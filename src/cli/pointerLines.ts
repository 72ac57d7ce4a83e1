/**
 * The lines of JSON pointers in the files a report names, for SARIF and the github annotations
 * (ReportOptions.pointerLine): a file is read again only when a location in it asks, once, and
 * only a regular `.json` file of at most MAX_SCAN_BYTES (a larger one, a FIFO, a device, a file
 * gone since: no line, never a wait or an unbounded read). The scan is linear
 * (src/report/jsonPointerLine.ts).
 */
import { resolve } from 'node:path';
import { readTextFile } from '../load/jsonFile.js';
import { jsonPointerLine } from '../report/jsonPointerLine.js';
import { toRepoPath } from '../report/summarize.js';

/** a file larger than this is not scanned (its locations are at line 1) */
export const MAX_SCAN_BYTES = 64 * 1024 * 1024;
/** the texts kept for further pointers; past this many characters the oldest are let go */
const MAX_CACHED_CHARS = 128 * 1024 * 1024;

/**
 * A pointerLine for a report whose files are named relative to `cwd`, and a snapshot's files
 * (`<account>/...`, `organization/...`) relative to `snapshotRoot`.
 */
export function pointerLineReader(
  cwd: string,
  snapshotRoot: string | undefined,
  maxBytes: number = MAX_SCAN_BYTES,
): (file: string, pointer: string) => number | undefined {
  const texts = new Map<string, string | undefined>();
  const lines = new Map<string, number | undefined>();
  let cached = 0;
  const textOf = (path: string): string | undefined => {
    if (texts.has(path)) return texts.get(path);
    const read = readTextFile(path, maxBytes);
    const text = read.ok ? read.text : undefined;
    const size = text?.length ?? 0;
    for (const [k, v] of texts) {
      if (cached + size <= MAX_CACHED_CHARS) break;
      cached -= v?.length ?? 0;
      texts.delete(k);
    }
    texts.set(path, text);
    cached += size;
    return text;
  };
  return (file, pointer) => {
    if (!/\.json$/i.test(file)) return undefined;
    const path = resolve(cwd, toRepoPath(file, undefined, snapshotRoot));
    const key = `${path}\u0000${pointer}`;
    if (lines.has(key)) return lines.get(key);
    const text = textOf(path);
    const line = text === undefined ? undefined : jsonPointerLine(text, pointer);
    lines.set(key, line);
    return line;
  };
}
