/**
 * JSON text parsed as JSON.parse does, with every object that has a member name twice (after
 * escapes: `"a"` and `"\u0061"` are one name) remembered, so a policy parser can refuse to read
 * it (src/policy/parse.ts). JSON.parse keeps the last member silently; RFC 8259 section 4 says
 * only that names "SHOULD be unique" and that with duplicates "the behavior of software that
 * receives such an object is unpredictable" (https://www.rfc-editor.org/rfc/rfc8259#section-4).
 * Throws what JSON.parse throws.
 */
export function parseJson(text: string): unknown {
  const { value, duplicates, more } = parseJsonFindingDuplicates(text);
  if (duplicates.length > 0) markDuplicates(value, duplicates, more);
  return value;
}

/**
 * JSON.parse of `text`, with the duplicate members it holds (the first MAX_LISTED of them; `more`
 * when there are others), for a reader that reports them itself (src/load/jsonFile.ts).
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
 * The name duplicateMembersOf gives a document's top-level object when its text has more than
 * MAX_LISTED duplicate members: the document is unreadable as a whole (parse.ts).
 */
export const TOO_MANY_DUPLICATES = '\u0000too many duplicate members';

const NONE: readonly DuplicateMember[] = Object.freeze([]);

/**
 * The index of the quote that closes the string opening at `start` in valid JSON `text`: the
 * next quote not escaped (preceded by an even run of backslashes; each run is counted once).
 */
function stringEnd(text: string, start: number): number {
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
              out.push({ pointer: pointerOf([...parent, name]), parent, name });
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

function pointerOf(tokens: readonly (string | number)[]): string {
  let out = '';
  for (const t of tokens) out += '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1');
  return out;
}

/** Parsed objects that had a member name twice in their text, with those names. */
const DUPLICATES = new WeakMap<object, string[]>();
let anyDuplicates = false;

function markDuplicates(root: unknown, found: readonly DuplicateMember[], more: boolean): void {
  const pointers = new Set(found.map((d) => d.pointer));
  next: for (const d of found) {
    // inside a member that is itself a duplicate: JSON.parse dropped the object (or kept
    // another one at the same path), and that outer duplicate is marked already: in a policy
    // document the statement (or the document) that holds the outer one is unreadable, so
    // what is under it is never read. The prefixes are built once each (linear in the depth).
    let prefix = '';
    for (const t of d.parent) {
      prefix += '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1');
      if (pointers.has(prefix)) continue next;
    }
    let at: unknown = root;
    for (const t of d.parent) {
      if (typeof at !== 'object' || at === null) continue next;
      at = (at as Record<string | number, unknown>)[t];
    }
    if (typeof at !== 'object' || at === null) continue;
    const names = DUPLICATES.get(at);
    if (names) names.push(d.name);
    else DUPLICATES.set(at, [d.name]);
    anyDuplicates = true;
  }
  // more than were listed: the ones not listed are not placed, so the whole text is refused
  if (more && typeof root === 'object' && root !== null && !Array.isArray(root)) {
    const names = DUPLICATES.get(root);
    if (names) names.push(TOO_MANY_DUPLICATES);
    else DUPLICATES.set(root, [TOO_MANY_DUPLICATES]);
    anyDuplicates = true;
  }
}

/**
 * The member names `value` had twice in the text parseJson read it from (the value holds only
 * the last of each), or undefined.
 */
export function duplicateMembersOf(value: object): readonly string[] | undefined {
  return DUPLICATES.get(value);
}

/** Whether any text parsed so far had a duplicate member (so a search is worth making). */
export function duplicatesSeen(): boolean {
  return anyDuplicates;
}
