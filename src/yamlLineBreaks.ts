/**
 * A YAML text with every line break the YAML spec has written as a line feed. YAML 1.2 reads a
 * carriage return not followed by a line feed as a line break, like CR LF and LF
 * (https://yaml.org/spec/1.2.2/#54-line-break-characters: `b-break ::= ( b-carriage-return
 * b-line-feed ) | b-carriage-return | b-line-feed`, and "line breaks inside scalar content must
 * be normalized by the YAML processor" to a line feed). The `yaml` library takes only CR LF and
 * LF: it read `a: 1\rb: 2` as the key `1\rb`, and a template written with old Mac line ends was
 * refused with a syntax error. The text keeps its length, so every offset (and so every line and
 * column the parser's line counter gives) is the one of the text as written.
 */
export function yamlLineBreaks(text: string): string {
  // the common case (no carriage return, or only CR LF) without a copy; the pattern is one
  // character with a one-character lookahead: linear
  return text.indexOf('\r') === -1 ? text : text.replace(/\r(?!\n)/g, '\n');
}
