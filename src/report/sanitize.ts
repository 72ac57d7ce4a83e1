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

/**
 * Control characters (C0, DEL, C1, line/paragraph separators) shown as `\xNN` / `\uNNNN`, lone
 * surrogates as U+FFFD.
 */
export function sanitizeForTerminal(s: string): string {
  // eslint-disable-next-line no-control-regex
  return toWellFormed(s).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? '\\x' + code.toString(16).padStart(2, '0')
      : '\\u' + code.toString(16).padStart(4, '0');
  });
}
