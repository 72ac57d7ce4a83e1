import { joinPointer } from './problems.js';
import { isJsonSpace } from './jsonSyntax.js';

/**
 * Member names written twice in one object of a JSON text (after escapes: `"a"` and `"\u0061"`
 * are one name). JSON.parse keeps the last member silently; RFC 8259 section 4 says only that
 * names "SHOULD be unique" and that with duplicates "the behavior of software that receives
 * such an object is unpredictable" (https://www.rfc-editor.org/rfc/rfc8259#section-4). The
 * readers that must not read such a text one way silently (the policy parser, snapshot files,
 * request files) report what parseJsonFindingDuplicates finds.
 */

/**
 * JSON.parse of `text`, with the duplicate members it holds (the first MAX_LISTED of them; `more`
 * when there are others), for a reader that reports them itself. Throws what JSON.parse throws.
 */
export function parseJsonFindingDuplicates(text: string): {
  value: unknown;
  duplicates: readonly DuplicateMember[];
  more: boolean;
} {
  const value = JSON.parse(text) as unknown;
  // the common case first: a text without a duplicate names as many members as the parsed
  // objects hold (JSON.parse merges each duplicate into one member), counted without slicing a
  // name out of the text
  if (memberNamesIn(text) === membersOf(value)) return { value, duplicates: NONE, more: false };
  const { found, more } = scanDuplicates(text, MAX_LISTED);
  return { value, duplicates: found, more };
}

/** Duplicate members listed (with their pointers) per text, at most: the rest are counted. */
export const MAX_LISTED = 100;

/**
 * The name a policy's duplicates list under the document itself when its text has more than
 * MAX_LISTED duplicate members: the document is unreadable as a whole (parse.ts).
 */
export const TOO_MANY_DUPLICATES = '\u0000too many duplicate members';

const NONE: readonly DuplicateMember[] = Object.freeze([]);

/**
 * The value of a text that is a JSON object with no member name written twice in any of its
 * objects (leading JSON whitespace allowed); undefined for any other text, JSON or not. A
 * reader that has a faster path for such text (a buildspec written as JSON) and a slower one for
 * the rest tries this first.
 */
export function jsonObjectWithoutDuplicates(text: string): Record<string, unknown> | undefined {
  let i = 0;
  while (isJsonSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  try {
    const parsed = parseJsonFindingDuplicates(text);
    return parsed.duplicates.length > 0 ? undefined : (parsed.value as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

/**
 * The index of the quote that closes the string opening at `start` in valid JSON `text`: the
 * next quote not escaped (preceded by an even run of backslashes; each run is counted once).
 */
export function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    let slashes = 0;
    for (let k = end - 1; text.charCodeAt(k) === BACKSLASH; k--) slashes++;
    if (slashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

/** The member names in valid JSON `text`: its strings followed by a colon. */
function memberNamesIn(text: string): number {
  let count = 0;
  const n = text.length;
  for (let i = text.indexOf('"'); i >= 0 && i < n; i = text.indexOf('"', i)) {
    let j = stringEnd(text, i) + 1;
    while (j < n && text.charCodeAt(j) <= SPACE) j++;
    if (text.charCodeAt(j) === COLON) count++;
    i = j;
  }
  return count;
}

/** The members of every object in a parsed JSON value (an explicit stack: no recursion). */
function membersOf(root: unknown): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'object' && x !== null) stack.push(x);
      continue;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) {
      count++;
      const x = o[k];
      if (typeof x === 'object' && x !== null) stack.push(x);
    }
  }
  return count;
}

export interface DuplicateMember {
  /** RFC 6901 pointer of the member (its second occurrence) */
  readonly pointer: string;
  /** the path of the object that holds it */
  readonly parent: readonly (string | number)[];
  readonly name: string;
}

/**
 * The members of `text` whose name the same object already has, in document order, each once per
 * object. `text` must be valid JSON (call it after JSON.parse succeeded). One pass, linear in the
 * text: strings are skipped with indexOf, an explicit stack (no recursion) holds the open
 * containers, and a name is only sliced out of the text when it is an object's member name.
 */
export function findDuplicateMembers(text: string): DuplicateMember[] {
  return scanDuplicates(text, MAX_LISTED).found;
}

/**
 * findDuplicateMembers with at most `limit` listed: building a pointer costs the depth of the
 * member, so a deeply nested text with many duplicates would take depth × duplicates; past the
 * limit the scan only says there are `more`.
 */
function scanDuplicates(text: string, limit: number): { found: DuplicateMember[]; more: boolean } {
  const out: DuplicateMember[] = [];
  let more = false;
  // one entry per open container: the member name (object) or element index (array) being read
  const isObject: boolean[] = [];
  const token: (string | number)[] = [];
  const names: (string[] | Set<string> | undefined)[] = [];
  const reported: (Set<string> | undefined)[] = [];
  let top = -1;
  let expectName = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c <= SPACE) {
      i++; // whitespace, the most common character of pretty-printed text
      continue;
    }
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (expectName) {
        let escaped = false;
        for (let k = i + 1; k < end && !escaped; k++) escaped = text.charCodeAt(k) === BACKSLASH;
        const name = escaped
          ? (JSON.parse(text.slice(i, end + 1)) as string)
          : text.slice(i + 1, end);
        if (seen(names, top, name)) {
          const done = (reported[top] ??= new Set());
          if (!done.has(name)) {
            done.add(name);
            if (out.length >= limit) more = true;
            else {
              const parent = token.slice(0, top);
              out.push({ pointer: joinPointer('', ...parent, name), parent, name });
            }
          }
        }
        token[top] = name;
        expectName = false;
      }
      i = end + 1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      top++;
      isObject[top] = c === OPEN_BRACE;
      token[top] = 0;
      names[top] = undefined;
      reported[top] = undefined;
      expectName = c === OPEN_BRACE;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      top--;
      expectName = false;
    } else if (c === COMMA) {
      if (isObject[top]) expectName = true;
      else token[top] = (token[top] as number) + 1;
    }
    i++;
  }
  return { found: out, more };
}

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
/** Names an object holds before a Set takes over from a list (most objects are small). */
const SMALL_OBJECT = 8;

/** Whether the object at `top` already has `name`; records it either way. */
function seen(names: (string[] | Set<string> | undefined)[], top: number, name: string): boolean {
  const held = names[top];
  if (held === undefined) {
    names[top] = [name];
    return false;
  }
  if (Array.isArray(held)) {
    if (held.includes(name)) return true;
    if (held.length < SMALL_OBJECT) held.push(name);
    else names[top] = new Set([...held, name]);
    return false;
  }
  if (held.has(name)) return true;
  held.add(name);
  return false;
}
