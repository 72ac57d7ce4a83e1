/**
 * The line where the value at a JSON pointer (RFC 6901) starts in a JSON text: a snapshot file's
 * findings carry a pointer and no line, and a SARIF viewer shows a result at a line. One pass over
 * the text, linear in its length times the pointer's depth (a pointer of a finding is a few
 * tokens): no parse tree is built, a value not on the path is skipped keeping only its open
 * brackets (no recursion, so a hostile nesting cannot overflow the stack), and a text that is not
 * the JSON the path expects gives undefined rather than a guess.
 */

/** JSON's whitespace, and what ends a bare literal (number, true, false, null) */
const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const LITERAL_END = new Set([0x20, 0x09, 0x0a, 0x0d, 0x2c, 0x3a, 0x5b, 0x5d, 0x7b, 0x7d, 0x22]);

/** at most this many pointer tokens are followed (a finding's pointer has a handful) */
const MAX_TOKENS = 256;

/** The reference tokens of a pointer (`/a~1b/0` → `a/b`, `0`); undefined when it is not one. */
function pointerTokens(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The 1-based line where the value at `pointer` starts in `text`. A pointer that goes on inside a
 * string (a policy document embedded as text, as IAM and KMS return it) gives the line of that
 * string (a JSON string is on one line); one naming a member or element the text does not have
 * gives the line of the nearest value it does have. Of duplicate keys the last counts, as
 * JSON.parse reads them. undefined: the text is not JSON along the path, or the pointer is not one.
 */
export function jsonPointerLine(text: string, pointer: string): number | undefined {
  const tokens = pointerTokens(pointer);
  if (tokens === undefined || tokens.length > MAX_TOKENS) return undefined;
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  const ws = (): void => {
    while (i < n && SPACE.has(text.charCodeAt(i))) {
      if (text.charCodeAt(i) === 0x0a) line++;
      i++;
    }
  };
  /** past the string at i (which starts with `"`); false when it does not end */
  const skipString = (): boolean => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) i += 2;
      else if (c === 0x22) {
        i++;
        return true;
      } else {
        if (c === 0x0a) line++;
        i++;
      }
    }
    return false;
  };
  /** past the value at i; false when the text is not JSON there (brackets must match) */
  const skipValue = (): boolean => {
    // the closing bracket each open one wants: a list, not the call stack
    const open: number[] = [];
    do {
      ws();
      if (i >= n) return false;
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        if (!skipString()) return false;
      } else if (c === 0x7b || c === 0x5b) {
        open.push(c + 2);
        i++;
      } else if (c === 0x7d || c === 0x5d) {
        if (open.pop() !== c) return false;
        i++;
      } else if (c === 0x2c || c === 0x3a) {
        if (open.length === 0) return false;
        i++;
      } else {
        const start = i;
        while (i < n && !LITERAL_END.has(text.charCodeAt(i))) i++;
        if (i === start) return false;
      }
    } while (open.length > 0);
    return true;
  };

  for (const token of tokens) {
    ws();
    if (i >= n) return undefined;
    const here = line;
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      // an object: the member named token (the last one, if several are)
      i++;
      let found: { i: number; line: number } | undefined;
      ws();
      if (text.charCodeAt(i) === 0x7d) return here;
      for (;;) {
        ws();
        if (text.charCodeAt(i) !== 0x22) return undefined;
        const keyStart = i;
        if (!skipString()) return undefined;
        let key: unknown;
        try {
          key = JSON.parse(text.slice(keyStart, i));
        } catch {
          return undefined;
        }
        ws();
        if (text.charCodeAt(i) !== 0x3a) return undefined;
        i++;
        ws();
        if (key === token) found = { i, line };
        if (!skipValue()) return undefined;
        ws();
        const next = text.charCodeAt(i);
        i++;
        if (next === 0x2c) continue;
        if (next === 0x7d) break;
        return undefined;
      }
      if (found === undefined) return here;
      i = found.i;
      line = found.line;
    } else if (c === 0x5b) {
      // an array: the element at the index token
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return here;
      const index = Number(token);
      i++;
      ws();
      if (text.charCodeAt(i) === 0x5d) return here;
      for (let k = 0; k < index; k++) {
        if (!skipValue()) return undefined;
        ws();
        const next = text.charCodeAt(i);
        i++;
        if (next === 0x5d) return here;
        if (next !== 0x2c) return undefined;
      }
      ws();
    } else {
      // a string the pointer goes on inside (an embedded document) is on this one line; any
      // other value has nothing inside
      return here;
    }
  }
  ws();
  return i < n ? line : undefined;
}
