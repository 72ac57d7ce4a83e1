/**
 * Where a JSON text breaks. JSON.parse says where for most errors (`... in JSON at position N`),
 * but not for an unexpected token (`Unexpected token 'S', "...{"a": S..." is not valid JSON`),
 * the commonest mistake in a hand-edited file (an unquoted value, a stray character, a comment),
 * and its message quotes the text around it, which may be a secret, so no message of permchain
 * repeats it. jsonErrorOffset scans the text by the grammar of RFC 8259
 * (https://www.rfc-editor.org/rfc/rfc8259#section-2) and gives the offset of the first character
 * that cannot continue it: the position a reader needs, without the text. Linear, with an
 * explicit stack (no recursion, so any nesting is fine); called only once JSON.parse has failed.
 */

import { lineColumnOf } from './lineBreaks.js';

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** JSON's whitespace: space, tab, LF, CR (RFC 8259 section 2). */
export function isJsonSpace(c: number): boolean {
  return c === SPACE || c === 9 || c === 10 || c === 13;
}

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
/** the characters that may follow a backslash in a string: " \ / b f n r t (u is apart) */
const isEscape = (c: number): boolean =>
  c === QUOTE ||
  c === BACKSLASH ||
  c === 47 ||
  c === 98 ||
  c === 102 ||
  c === 110 ||
  c === 114 ||
  c === 116;

/**
 * The offset of the first character of `text` at which it stops being JSON (its length when it
 * ends too early), or undefined when it is JSON (exactly when JSON.parse accepts it).
 */
export function jsonErrorOffset(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  /** open containers: true for an object, false for an array */
  const open: boolean[] = [];

  const skipSpace = (): void => {
    while (i < n && isJsonSpace(text.charCodeAt(i))) i++;
  };
  /** a string from its opening quote at i; false with i at the fault */
  const string = (): boolean => {
    for (i++; i < n;) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i++;
        return true;
      }
      if (c < SPACE) return false;
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      const e = text.charCodeAt(i + 1);
      if (isEscape(e)) i += 2;
      else if (e === 117) {
        for (let k = 2; k < 6; k++) {
          if (!isHex(text.charCodeAt(i + k))) {
            i += k;
            return false;
          }
        }
        i += 6;
      } else {
        i++;
        return false;
      }
    }
    return false;
  };
  const digits = (): boolean => {
    if (!isDigit(text.charCodeAt(i))) return false;
    while (isDigit(text.charCodeAt(i))) i++;
    return true;
  };
  /** -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
  const number = (): boolean => {
    if (text.charCodeAt(i) === MINUS) i++;
    if (text.charCodeAt(i) === ZERO) i++;
    else if (!digits()) return false;
    if (text.charCodeAt(i) === DOT) {
      i++;
      if (!digits()) return false;
    }
    const e = text.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === PLUS || sign === MINUS) i++;
      if (!digits()) return false;
    }
    return true;
  };
  const literal = (word: string): boolean => {
    for (let k = 0; k < word.length; k++, i++)
      if (text.charCodeAt(i) !== word.charCodeAt(k)) return false;
    return true;
  };
  /** a member's name and colon, from i (after space); false with i at the fault */
  const memberName = (): boolean => {
    if (text.charCodeAt(i) !== QUOTE || !string()) return false;
    skipSpace();
    if (text.charCodeAt(i) !== COLON) return false;
    i++;
    return true;
  };

  for (;;) {
    // a value starts here
    skipSpace();
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      i++;
      skipSpace();
      if (text.charCodeAt(i) !== (c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) {
        open.push(c === OPEN_BRACE);
        if (c === OPEN_BRACE && !memberName()) return i;
        continue;
      }
      i++;
    } else if (c === QUOTE) {
      if (!string()) return i;
    } else if (c === MINUS || isDigit(c)) {
      if (!number()) return i;
    } else if (c === 116) {
      if (!literal('true')) return i;
    } else if (c === 102) {
      if (!literal('false')) return i;
    } else if (c === 110) {
      if (!literal('null')) return i;
    } else return i;
    // after a value: close containers, or a comma and the next value
    for (;;) {
      skipSpace();
      if (open.length === 0) return i < n ? i : undefined;
      const object = open[open.length - 1]!;
      const d = text.charCodeAt(i);
      if (d === (object ? CLOSE_BRACE : CLOSE_BRACKET)) {
        i++;
        open.pop();
        continue;
      }
      if (d !== COMMA) return i;
      i++;
      if (object) {
        skipSpace();
        if (!memberName()) return i;
      }
      break;
    }
  }
}

/** `line L column C` of an offset (lineBreaks.ts counts the lines). */
export function lineAndColumn(text: string, offset: number): string {
  const { line, column } = lineColumnOf(text, offset);
  return `line ${line} column ${column}`;
}

/** `line L column C` where a text JSON.parse refused stops being JSON, or undefined when it is JSON. */
export function jsonFaultPlace(text: string): string | undefined {
  const at = jsonErrorOffset(text);
  return at === undefined ? undefined : lineAndColumn(text, at);
}
