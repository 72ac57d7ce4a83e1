/**
 * Text from the input (policy values, names, file names) made safe to show: the leaf helpers
 * every reporter and the CLI's stderr lines use, so a value cannot forge a line, a terminal
 * escape or a CI workflow command (`::error ...`).
 */

/** Replace lone UTF-16 surrogates with U+FFFD, so encoders (URI, XML, JSON) see valid text. */
export function toWellFormed(s: string): string {
  return s.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
}

/** what sanitizeForTerminal escapes */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text that may hold several lines (a usage error with a suggestion, help): each line made safe
 * with sanitizeForTerminal, the line breaks kept.
 */
export function sanitizeLines(s: string): string {
  return s.split('\n').map(sanitizeForTerminal).join('\n');
}

/**
 * Control characters (C0, DEL, C1, line/paragraph separators) and the bidirectional embedding,
 * override and isolate controls (U+202A–U+202E, U+2066–U+2069: they reorder what a terminal or
 * log viewer shows, CVE-2021-42574 "Trojan Source") shown as `\xNN` / `\uNNNN`, lone surrogates
 * as U+FFFD.
 */
export function sanitizeForTerminal(s: string): string {
  return toWellFormed(s).replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? '\\x' + code.toString(16).padStart(2, '0')
      : '\\u' + code.toString(16).padStart(4, '0');
  });
}
