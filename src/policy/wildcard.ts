/**
 * Wildcard matching for IAM: `*` matches any run of characters (also empty), `?` exactly one.
 *
 * No regular expressions and no backtracking: a pattern is split at its `*`s into chunks;
 * the first chunk must match at the start, the last at the end, and each middle chunk is
 * found at its leftmost position after the previous one. Leftmost placement is always safe
 * for `*`-separated chunks, so a match costs O(n * k) for an input of length n and a pattern
 * of k literal characters, whatever the number of stars (`*a*a*a*a*b` included).
 *
 * Case: matching is exact. Callers normalise case first where IAM is case-insensitive
 * (actions are lower-cased on both sides), which keeps this hot path allocation-free.
 */

export interface Glob {
  /** the pattern as given */
  readonly source: string;
  /** false when the pattern has no `*` or `?`: a plain string comparison */
  readonly hasWildcard: boolean;
  test(input: string): boolean;
}

const STAR = 42; // '*'
const QUESTION = 63; // '?'
// Placeholders for a literal `*` / `?` that came from a policy-variable escape (`${*}`) or a
// substituted value (see variables.ts): they match only that very character.
const LITERAL_STAR = 0xe000;
const LITERAL_QUESTION = 0xe001;

export function compileGlob(pattern: string): Glob {
  if (!hasWildcard(pattern)) {
    if (!hasPlaceholder(pattern)) {
      return { source: pattern, hasWildcard: false, test: (input) => input === pattern };
    }
    return {
      source: pattern,
      hasWildcard: false,
      test: (input) => input.length === pattern.length && matchAt(input, 0, pattern),
    };
  }
  if (pattern === '*') return { source: pattern, hasWildcard: true, test: () => true };
  const chunks = pattern.split('*');
  const anchoredStart = chunks[0]!;
  const anchoredEnd = chunks.length > 1 ? chunks[chunks.length - 1]! : undefined;
  const middle = chunks.slice(1, -1).filter((c) => c.length > 0);
  const hasStar = chunks.length > 1;
  const minLength = chunks.reduce((n, c) => n + c.length, 0);
  return {
    source: pattern,
    hasWildcard: true,
    test(input: string): boolean {
      if (!hasStar) {
        return input.length === anchoredStart.length && matchAt(input, 0, anchoredStart);
      }
      if (input.length < minLength) return false;
      if (!matchAt(input, 0, anchoredStart)) return false;
      const endStart = input.length - anchoredEnd!.length;
      if (!matchAt(input, endStart, anchoredEnd!)) return false;
      let pos = anchoredStart.length;
      for (const chunk of middle) {
        const found = indexOfChunk(input, chunk, pos, endStart);
        if (found < 0) return false;
        pos = found + chunk.length;
      }
      return pos <= endStart;
    },
  };
}

/** True when `chunk` (which may hold `?`) matches `input` at `at`. */
function matchAt(input: string, at: number, chunk: string): boolean {
  if (at < 0 || at + chunk.length > input.length) return false;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c === QUESTION) continue;
    const d = input.charCodeAt(at + i);
    if (c === d) continue;
    if (c === LITERAL_STAR && d === STAR) continue;
    if (c === LITERAL_QUESTION && d === QUESTION) continue;
    return false;
  }
  return true;
}

/** Leftmost position >= from where `chunk` matches and ends no later than `limit`, or -1. */
function indexOfChunk(input: string, chunk: string, from: number, limit: number): number {
  if (!needsSlowSearch(chunk)) {
    const i = input.indexOf(chunk, from);
    return i >= 0 && i + chunk.length <= limit ? i : -1;
  }
  for (let i = from; i + chunk.length <= limit; i++) {
    if (matchAt(input, i, chunk)) return i;
  }
  return -1;
}

function needsSlowSearch(chunk: string): boolean {
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c === QUESTION || c === LITERAL_STAR || c === LITERAL_QUESTION) return true;
  }
  return false;
}

function hasPlaceholder(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LITERAL_STAR || c === LITERAL_QUESTION) return true;
  }
  return false;
}

/** True when the text holds `*` or `?`. */
export function hasWildcard(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === STAR || c === QUESTION) return true;
  }
  return false;
}

/**
 * ARN matching, segment by segment, as IAM does for `Resource` and for the `Arn*` condition
 * operators: the first five colon-separated segments (arn, partition, service, region,
 * account) are matched each on its own, so a wildcard never crosses a `:` there; the sixth
 * (the resource part) is matched whole, `:` and `/` included.
 * "If the `*` wildcard is the last character of a resource ARN segment, it can expand to
 * match beyond the colon boundaries"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html):
 * a pattern with fewer than six segments whose last segment ends in `*` matches the rest.
 */
export interface ArnGlob {
  readonly source: string;
  readonly hasWildcard: boolean;
  test(arn: string): boolean;
}

export function compileArnGlob(pattern: string): ArnGlob {
  if (pattern === '*') return { source: pattern, hasWildcard: true, test: () => true };
  if (!hasWildcard(pattern)) return compileGlob(pattern);
  const segments = splitArn(pattern);
  if (segments.length === 1) {
    // not an ARN pattern (a service-specific resource string): a plain wildcard match
    return compileGlob(pattern);
  }
  const globs = segments.map(compileGlob);
  const last = segments.length - 1;
  const openEnded = segments.length < 6 && segments[last]!.endsWith('*');
  return {
    source: pattern,
    hasWildcard: true,
    test(arn: string): boolean {
      const parts = splitArn(arn);
      if (openEnded) {
        if (parts.length < segments.length) return false;
        for (let i = 0; i < last; i++) if (!globs[i]!.test(parts[i]!)) return false;
        return globs[last]!.test(parts.slice(last).join(':'));
      }
      if (parts.length !== segments.length) return false;
      for (let i = 0; i < parts.length; i++) if (!globs[i]!.test(parts[i]!)) return false;
      return true;
    },
  };
}

/** Split at the first five colons: at most six parts, the sixth keeps its colons. */
export function splitArn(arn: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let n = 0; n < 5; n++) {
    const i = arn.indexOf(':', start);
    if (i < 0) break;
    parts.push(arn.slice(start, i));
    start = i + 1;
  }
  parts.push(arn.slice(start));
  return parts;
}
