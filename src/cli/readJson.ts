/**
 * Read and parse a JSON input file named on the command line. Errors become one-line problems
 * naming the file, never stack traces and never the file's text (src/load/jsonFile.ts).
 */
import { readJsonText } from '../load/jsonFile.js';
import { shownValue, type Problem } from '../problems.js';

export type JsonRead = { ok: true; value: unknown } | { ok: false; problem: Problem };

const IDS = {
  unreadable: 'input.file.unreadable',
  'too-large': 'input.file.too-large',
  invalid: 'input.json.invalid',
} as const;

/**
 * A member name twice in one object refuses the file: JSON.parse keeps the last silently, so
 * the request (or a policy in it) could be read two ways; see src/policy/parse.ts
 * duplicatedMembers for what AWS documents about it (nothing).
 */
export function readJsonFile(path: string, displayName = path): JsonRead {
  const read = readJsonText(path);
  if (read.ok) {
    const first = read.duplicates?.[0];
    if (first === undefined) return { ok: true, value: read.value };
    const more = read.duplicates!.length - 1;
    const others =
      more > 0
        ? ` (and ${read.moreDuplicates ? 'more than ' : ''}${more} more duplicate member${more > 1 || read.moreDuplicates ? 's' : ''})`
        : '';
    return {
      ok: false,
      problem: {
        file: displayName,
        pointer: first.pointer,
        message: `the member ${shownValue(first.name, 80)} appears twice in one object${others}: JSON readers keep one of them, so the file could be read two ways`,
        id: 'json.duplicate-key',
        severity: 'error',
      },
    };
  }
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
