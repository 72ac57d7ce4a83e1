/**
 * Line breaks, as YAML 1.2 and editors count them: LF, CR LF, or a CR not followed by an LF
 * (https://yaml.org/spec/1.2.2/#54-line-break-characters: `b-break ::= ( b-carriage-return
 * b-line-feed ) | b-carriage-return | b-line-feed`). Every line and column permchain reports in a
 * text (a template's positions, a JSON or YAML syntax error) counts them this way.
 */

const LF = 10;
const CR = 13;

/** Whether a line break ends at `i` (an LF, or a CR not followed by an LF). */
export function isLineBreak(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === LF || (c === CR && text.charCodeAt(i + 1) !== LF);
}

/** The line and column (both from 1, the column in UTF-16 units) of an offset of `text`. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (isLineBreak(text, i)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * A YAML text with every line break written as a line feed, for the `yaml` library, which takes
 * only CR LF and LF: it read `a: 1\rb: 2` as the key `1\rb`, and a template written with old Mac
 * line ends was refused with a syntax error. YAML normalizes line breaks in scalar content to a
 * line feed anyway ("line breaks inside scalar content must be normalized by the YAML
 * processor"). The text keeps its length, so every offset (and so every line and column the
 * parser's line counter gives) is the one of the text as written.
 */
export function yamlLineBreaks(text: string): string {
  // the common case (no carriage return, or only CR LF) without a copy; the pattern is one
  // character with a one-character lookahead: linear
  return text.indexOf('\r') === -1 ? text : text.replace(/\r(?!\n)/g, '\n');
}
