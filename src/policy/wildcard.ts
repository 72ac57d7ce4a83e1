/**
 * Wildcard matching for IAM: `*` matches any run of characters (also empty), `?` exactly one.
 *
 * No regular expressions and no backtracking: a pattern is split at its `*`s into chunks;
 * the first chunk must match at the start, the last at the end, and each middle chunk is
 * found at its leftmost position after the previous one. Leftmost placement is always safe
 * for `*`-separated chunks, so the stars add no search of their own (`*a*a*a*a*b` included):
 * a chunk without `?` is found with `indexOf` (linear), and one with `?` at the occurrences of
 * its longest run of literal characters, each checked in full (a chunk of `?` alone, at once).
 * Only an input built to repeat that run at every place where the rest fails costs more: n * k
 * for an input of length n and a chunk of length k, both bounded (parse.ts MAX_POLICY_STRING,
 * and what a request may carry).
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
  /** the same test on `input.slice(start, end)`, without making the slice */
  testRange(input: string, start: number, end: number): boolean;
}

const STAR = 42; // '*'
const QUESTION = 63; // '?'
// Placeholders for a literal `*` / `?` that came from a policy-variable escape (`${*}`) or a
// substituted value (see variables.ts): they match only that very character.
const LITERAL_STAR = 0xe000;
const LITERAL_QUESTION = 0xe001;

const ANY: Glob = {
  source: '*',
  hasWildcard: true,
  test: () => true,
  testRange: () => true,
};

export function compileGlob(pattern: string): Glob {
  if (pattern === '*') return ANY;
  if (!hasWildcard(pattern)) {
    const plain = !hasPlaceholder(pattern);
    const len = pattern.length;
    const testRange = plain
      ? (input: string, start: number, end: number) =>
          end - start === len && input.startsWith(pattern, start)
      : (input: string, start: number, end: number) =>
          end - start === len && matchAt(input, start, end, pattern);
    return {
      source: pattern,
      hasWildcard: false,
      test: plain ? (input) => input === pattern : (input) => testRange(input, 0, input.length),
      testRange,
    };
  }
  const chunks = pattern.split('*');
  const anchoredStart = chunks[0]!;
  const anchoredEnd = chunks.length > 1 ? chunks[chunks.length - 1]! : undefined;
  const middle = chunks
    .slice(1, -1)
    .filter((c) => c.length > 0)
    .map((text) => {
      // decided once here, not at every test: whether the chunk needs more than indexOf
      const slow = needsSlowSearch(text);
      return { text, slow, anchor: slow ? longestRun(text) : undefined };
    });
  const hasStar = chunks.length > 1;
  const minLength = chunks.reduce((n, c) => n + c.length, 0);
  // an end chunk without `?` or placeholder is compared with startsWith, not char by char
  // (both fit in the range once it holds minLength characters)
  const startPlain = !needsSlowSearch(anchoredStart);
  const endPlain = anchoredEnd !== undefined && !needsSlowSearch(anchoredEnd);
  const testRange = (input: string, start: number, end: number): boolean => {
    if (!hasStar) {
      return end - start === anchoredStart.length && matchAt(input, start, end, anchoredStart);
    }
    if (end - start < minLength) return false;
    if (
      !(startPlain
        ? input.startsWith(anchoredStart, start)
        : matchAt(input, start, end, anchoredStart))
    )
      return false;
    const endStart = end - anchoredEnd!.length;
    if (
      !(endPlain
        ? input.startsWith(anchoredEnd!, endStart)
        : matchAt(input, endStart, end, anchoredEnd!))
    )
      return false;
    let pos = start + anchoredStart.length;
    for (const chunk of middle) {
      const found = chunk.slow
        ? indexOfSlowChunk(input, chunk.text, chunk.anchor, pos, endStart, end)
        : indexOfPlain(input, chunk.text, pos, endStart);
      if (found < 0) return false;
      pos = found + chunk.text.length;
    }
    return pos <= endStart;
  };
  return {
    source: pattern,
    hasWildcard: true,
    test: (input) => testRange(input, 0, input.length),
    testRange,
  };
}

/** True when `chunk` (which may hold `?`) matches `input` at `at`, within [start, end). */
function matchAt(input: string, at: number, end: number, chunk: string): boolean {
  if (at < 0 || at + chunk.length > end) return false;
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

/** A chunk's longest run of plain characters (no `?`, no placeholder) and where it starts. */
interface Run {
  readonly text: string;
  readonly offset: number;
}

function longestRun(chunk: string): Run | undefined {
  let best: Run | undefined;
  let runStart = 0;
  for (let i = 0; i <= chunk.length; i++) {
    const c = i < chunk.length ? chunk.charCodeAt(i) : QUESTION;
    if (c !== QUESTION && c !== LITERAL_STAR && c !== LITERAL_QUESTION) continue;
    if (i > runStart && (!best || i - runStart > best.text.length))
      best = { text: chunk.slice(runStart, i), offset: runStart };
    runStart = i + 1;
  }
  return best;
}

/** Leftmost position >= from where the plain `chunk` is and ends no later than `limit`, or -1. */
function indexOfPlain(input: string, chunk: string, from: number, limit: number): number {
  const i = input.indexOf(chunk, from);
  return i >= 0 && i + chunk.length <= limit ? i : -1;
}

/**
 * indexOfPlain for a chunk with `?` or a placeholder. `anchor`: its longest plain run
 * (undefined when it has no plain character: each place is tried, and one of `?` alone matches
 * at `from` if it fits).
 */
function indexOfSlowChunk(
  input: string,
  chunk: string,
  anchor: Run | undefined,
  from: number,
  limit: number,
  end: number,
): number {
  if (anchor === undefined) {
    // `?` and placeholders only: each place is tried (a placeholder matches one character)
    for (let i = from; i + chunk.length <= limit; i++) {
      if (matchAt(input, i, end, chunk)) return i;
    }
    return -1;
  }
  // the places where the run is, in order: the chunk starts `offset` before each
  let p = input.indexOf(anchor.text, from + anchor.offset);
  while (p >= 0) {
    const i = p - anchor.offset;
    if (i + chunk.length > limit) return -1;
    if (matchAt(input, i, end, chunk)) return i;
    p = input.indexOf(anchor.text, p + 1);
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

/** No `*`, `?` or placeholder: the text matches only itself. */
function isPlain(text: string): boolean {
  return !hasWildcard(text) && !hasPlaceholder(text);
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
 * a pattern with fewer than six segments whose last segment ends in `*` matches the rest. That is
 * documented for `Resource` only: for the `Arn*` operators "each of the six colon-delimited
 * components of the ARN is checked separately"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN),
 * so a condition's pattern (`openEnded` false) of fewer segments matches only an ARN of as many.
 */
export type ArnGlob = Glob;

export function compileArnGlob(pattern: string, openEndedAllowed = true): ArnGlob {
  if (pattern === '*') return ANY;
  if (!hasWildcard(pattern)) return compileGlob(pattern);
  const segments = splitArn(pattern);
  if (segments.length === 1) {
    // not an ARN pattern (a service-specific resource string): a plain wildcard match
    return compileGlob(pattern);
  }
  const globs = segments.map(compileGlob);
  const count = segments.length;
  const last = count - 1;
  const openEnded = openEndedAllowed && count < 6 && segments[last]!.endsWith('*');
  // The leading segments without `*`, `?` or placeholder (`arn`, the partition, the service,
  // often the region and account) are one prefix, `arn:aws:s3:::`, that the ARN starts with
  // exactly when each of its segments equals the pattern's (a segment holds no `:`)
  let plainHead = 0;
  while (plainHead < last && isPlain(segments[plainHead]!)) plainHead++;
  const head = plainHead > 0 ? segments.slice(0, plainHead).join(':') + ':' : '';
  // Segment boundaries are found with indexOf and each segment is tested in place: no array
  // and no substring per test, since this runs for every Resource pattern of every request.
  const testRange = (arn: string, start: number, end: number): boolean => {
    if (start + head.length > end || !arn.startsWith(head, start)) return false;
    let segStart = start + head.length;
    for (let i = plainHead; i < last; i++) {
      const colon = arn.indexOf(':', segStart);
      if (colon < 0 || colon >= end) return false;
      if (!globs[i]!.testRange(arn, segStart, colon)) return false;
      segStart = colon + 1;
    }
    if (openEnded || count === 6) return globs[last]!.testRange(arn, segStart, end);
    // fewer than six segments, not open-ended: the ARN has no further colon
    const more = arn.indexOf(':', segStart);
    if (more >= 0 && more < end) return false;
    return globs[last]!.testRange(arn, segStart, end);
  };
  return {
    source: pattern,
    hasWildcard: true,
    test: (arn) => testRange(arn, 0, arn.length),
    testRange,
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
