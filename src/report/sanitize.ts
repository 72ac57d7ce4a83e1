/**
 * Text from the input (policy values, names, file names) made safe to show: the leaf helpers
 * every reporter and the CLI's stderr lines use, so a value cannot forge a line, a terminal
 * escape or a CI workflow command (`::error ...`, `##[error]`).
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

/** printable ASCII, which sanitizeForTerminal returns unchanged when it has no `::` or `##` */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

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
 * as U+FFFD; and no CI workflow command can be read in the result (breakWorkflowCommands), so it
 * is safe as a whole line of a CI log.
 */
export function sanitizeForTerminal(s: string): string {
  // most text is printable ASCII with no `::` or `##`, which nothing below changes: one scan
  // instead of four replacements (every field of every link of the text report comes here)
  if (PRINTABLE_ASCII.test(s) && !s.includes('::') && !s.includes('##')) return s;
  return breakWorkflowCommands(
    toWellFormed(s).replace(UNSAFE, (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff
        ? '\\x' + code.toString(16).padStart(2, '0')
        : '\\u' + code.toString(16).padStart(4, '0');
    }),
  );
}

/** inserted where a CI runner would otherwise read a command: invisible, not whitespace */
const COMMAND_BREAK = '\u200b';

/**
 * What the GitHub Actions runner (and Azure Pipelines' agent) reads as a workflow command in a
 * line it prints: `::command ...::` at the start of a line after whitespace (.NET TrimStart:
 * every Unicode white space, U+0085 and the line separators included), and the legacy
 * `##[command]` anywhere in a line (actions/runner ActionCommand.TryParse; Azure's `##vso[`).
 * A log line is ended by LF or CR.
 */
const LINE_START_COMMAND =
  /(^|[\r\n])([\t\v\f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*):(?=:)/g;
const LEGACY_COMMAND = /#(?=#(?:\[|vso\[))/gi;

/**
 * Text (one line or many) in which a CI runner finds no workflow command: a zero-width space
 * (U+200B, not white space to the runner) goes between the two colons of a `::` that starts a
 * line after white space, and between the two `#` of `##[` and `##vso[`. The text reads the same;
 * the runner sees `:\u200b:` and `#\u200b#[`, which are no commands. Every text a CI log may
 * print (the text, markdown, html and junit reports, the CLI's stderr lines) goes through it.
 * https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions
 */
export function breakWorkflowCommands(s: string): string {
  return s
    .replace(LEGACY_COMMAND, '#' + COMMAND_BREAK)
    .replace(
      LINE_START_COMMAND,
      (_m, end: string, space: string) => end + space + ':' + COMMAND_BREAK,
    );
}

const LEGACY_IN_JSON = /##(?:\[|vso\[)/i;

/**
 * JSON text (a report, a baseline) in which a CI runner that prints it finds no workflow
 * command: the first `#` of `##[` and `##vso[` is written `\u0023`, which reads back as the same
 * string (`#` occurs only inside JSON strings). A `::` cannot start a line of JSON: every line
 * starts with white space and a quote, a bracket or a value.
 */
export function breakWorkflowCommandsInJson(s: string): string {
  // `##` first: a plain search, much faster than the pattern over a report of many megabytes
  return s.includes('##') && LEGACY_IN_JSON.test(s) ? s.replace(LEGACY_COMMAND, '\\u0023') : s;
}
