/**
 * Bad input is a value, not an exception. Every loader, parser and validator returns
 * problems of this shape and keeps going; only the CLI turns them into an exit code.
 *
 * Message style (after cedar's guide): lowercase, no trailing period, user values in
 * backticks, context joined with colons. `id` is stable and dotted, e.g. `policy.effect.invalid`.
 */
import { sanitizeForTerminal } from './report/sanitize.js';

export type Severity = 'error' | 'warning';

export interface Problem {
  /** the file the problem is in, when it came from a file */
  readonly file?: string;
  /** RFC 6901 JSON pointer to the offending element inside that file ('' = the whole document) */
  readonly pointer: string;
  readonly message: string;
  /** stable dotted id, e.g. `policy.statement.missing-effect` */
  readonly id: string;
  readonly severity: Severity;
}

/** Escape one reference token for a JSON pointer (RFC 6901). */
export function escapePointerToken(token: string | number): string {
  // the loaders make a pointer for every element they read: most tokens need no escape
  if (typeof token === 'number') return String(token);
  if (token.indexOf('~') === -1 && token.indexOf('/') === -1) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Join a base pointer and tokens: joinPointer('/Statement', 0, 'Action') === '/Statement/0/Action'. */
export function joinPointer(base: string, ...tokens: (string | number)[]): string {
  if (tokens.length === 1) return base + '/' + escapePointerToken(tokens[0]!);
  let out = base;
  for (const t of tokens) out += '/' + escapePointerToken(t);
  return out;
}

/** Sort problems deterministically: file, pointer, id, message. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      cmp(a.file ?? '', b.file ?? '') ||
      cmp(a.pointer, b.pointer) ||
      cmp(a.id, b.id) ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One line for a terminal: `file#/pointer: message [id]`. Control characters from the input (a
 * policy value with a newline and `::error ...`) are escaped, so a problem is always one line
 * and cannot forge another (or a CI workflow command).
 */
export function formatProblem(p: Problem): string {
  const where = p.file ? `${p.file}${p.pointer ? '#' + p.pointer : ''}` : p.pointer || '(input)';
  return sanitizeForTerminal(`${p.severity}: ${where}: ${p.message} [${p.id}]`);
}

/** What a problem says (where, which, what): two problems with one key are the same. */
export function problemKey(p: Problem): string {
  return `${p.file ?? ''}\u0000${p.pointer}\u0000${p.id}\u0000${p.message}`;
}

/** The problems sorted, each reported once (several inputs can report the same one). */
export function uniqueProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return sortProblems(problems).filter((p) => {
    const k = problemKey(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * A value from the input for a message, in backticks: in full when short, else its first
 * `limit` characters (never half of a surrogate pair) and its length, so a hostile megabyte
 * value never reaches a report in full.
 */
export function shownValue(value: string, limit: number): string {
  if (value.length <= limit) return `\`${value}\``;
  const start = value.slice(0, limit).replace(/[\uD800-\uDBFF]$/, '');
  return `\`${start}\`… (${value.length} characters)`;
}
