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
 *
 * Literal `*` and `?`: a resolved policy variable may put them in a pattern (see PATTERN_ESCAPE);
 * they are undone when the pattern is compiled, so matching costs the same.
 */

export interface Glob {
  /** the pattern as given */
  readonly source: string;
  /** false when the pattern has no `*` or `?` wildcard: a plain string comparison */
  readonly hasWildcard: boolean;
  test(input: string): boolean;
  /** the same test on `input.slice(start, end)`, without making the slice */
  testRange(input: string, start: number, end: number): boolean;
}

const STAR = 42; // '*'
const QUESTION = 63; // '?'
const ESCAPE = 0xe000; // PATTERN_ESCAPE
const SPECIAL = /[*?\uE000]/g;
const ESCAPES = /\uE000/g;

/**
 * Pattern text with escapes (`escaped` below): the form of a pattern with policy variables once
 * they are resolved (variables.ts resolveTemplate `forPattern`), where a `*` or `?` may be a
 * literal character (an escape `${*}`, `${?}`, or one in a substituted value). `*` and `?` are
 * wildcards, and PATTERN_ESCAPE makes the character after it literal: `\uE000*` a literal `*`,
 * `\uE000?` a literal `?`, `\uE000\uE000` the character U+E000 itself. Text that a policy writes
 * without variables is compiled as it is (not `escaped`), where U+E000 is a character like any
 * other: IAM compares every character but `*` and `?` as itself
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 */
export const PATTERN_ESCAPE = '\uE000';

/** `text` as pattern text with escapes whose every character is literal (`*` and `?` too). */
export function escapeLiteral(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === STAR || c === QUESTION || c === ESCAPE) return text.replace(SPECIAL, '\uE000$&');
  }
  return text;
}

/** `text` as pattern text with escapes whose `*` and `?` stay wildcards. */
export function escapeEscapes(text: string): string {
  return text.indexOf(PATTERN_ESCAPE) < 0 ? text : text.replace(ESCAPES, '\uE000\uE000');
}

const ANY: Glob = {
  source: '*',
  hasWildcard: true,
  test: () => true,
  testRange: () => true,
};

/**
 * The text between two `*` wildcards. `wild`, when the text holds a literal `?` (from an escape):
 * 1 at each `?` of the text that is a wildcard; without it, every `?` of the text is one.
 */
interface Chunk {
  readonly text: string;
  readonly wild?: Uint8Array;
}

/** `escaped`: the pattern is pattern text with escapes (PATTERN_ESCAPE). */
export function compileGlob(pattern: string, escaped = false): Glob {
  if (pattern === '*') return ANY;
  if (escaped && pattern.indexOf(PATTERN_ESCAPE) >= 0)
    return compileChunks(pattern, unescapeChunks(pattern));
  if (!hasWildcard(pattern)) return plainGlob(pattern, pattern);
  return compileChunks(
    pattern,
    pattern.split('*').map((text) => ({ text })),
  );
}

/** A pattern without wildcards: `text` (its escapes undone) and nothing else. */
function plainGlob(source: string, text: string): Glob {
  const len = text.length;
  return {
    source,
    hasWildcard: false,
    test: (input) => input === text,
    testRange: (input, start, end) => end - start === len && input.startsWith(text, start),
  };
}

/** Pattern text with escapes split at its wildcard `*`s, the escapes undone. */
function unescapeChunks(pattern: string): Chunk[] {
  const chunks: Chunk[] = [];
  let text = '';
  let wildAt: number[] = [];
  let literalQuestion = false;
  const close = (): void => {
    if (!literalQuestion) chunks.push({ text });
    else {
      const wild = new Uint8Array(text.length);
      for (const i of wildAt) wild[i] = 1;
      chunks.push({ text, wild });
    }
    text = '';
    wildAt = [];
    literalQuestion = false;
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    // (a PATTERN_ESCAPE that ends the text, which no escaping makes, is itself)
    if (c === ESCAPE && i + 1 < pattern.length) {
      const next = pattern[++i]!;
      if (next === '?') literalQuestion = true;
      text += next;
    } else if (c === STAR) close();
    else {
      if (c === QUESTION) wildAt.push(text.length);
      text += pattern[i];
    }
  }
  close();
  return chunks;
}

function compileChunks(source: string, chunks: readonly Chunk[]): Glob {
  const hasStar = chunks.length > 1;
  const first = chunks[0]!;
  if (!hasStar && !hasWildQuestion(first)) return plainGlob(source, first.text);
  const anchoredStart = first.text;
  const startWild = first.wild;
  const last = hasStar ? chunks[chunks.length - 1]! : undefined;
  const anchoredEnd = last?.text;
  const endWild = last?.wild;
  const middle = chunks
    .slice(1, -1)
    .filter((c) => c.text.length > 0)
    .map((c) => {
      // decided once here, not at every test: whether the chunk needs more than indexOf
      const slow = hasWildQuestion(c);
      return { text: c.text, wild: c.wild, slow, anchor: slow ? longestRun(c) : undefined };
    });
  const minLength = chunks.reduce((n, c) => n + c.text.length, 0);
  // a first or last chunk without a wildcard `?` is compared with startsWith, not char by char
  // (both fit in the range once it holds minLength characters)
  const startPlain = !hasWildQuestion(first);
  const endPlain = last !== undefined && !hasWildQuestion(last);
  const testRange = (input: string, start: number, end: number): boolean => {
    if (!hasStar) {
      return (
        end - start === anchoredStart.length && matchAt(input, start, end, anchoredStart, startWild)
      );
    }
    if (end - start < minLength) return false;
    if (
      !(startPlain
        ? input.startsWith(anchoredStart, start)
        : matchAt(input, start, end, anchoredStart, startWild))
    )
      return false;
    const endStart = end - anchoredEnd!.length;
    if (
      !(endPlain
        ? input.startsWith(anchoredEnd!, endStart)
        : matchAt(input, endStart, end, anchoredEnd!, endWild))
    )
      return false;
    let pos = start + anchoredStart.length;
    for (const chunk of middle) {
      const found = chunk.slow
        ? indexOfSlowChunk(input, chunk.text, chunk.wild, chunk.anchor, pos, endStart, end)
        : indexOfPlain(input, chunk.text, pos, endStart);
      if (found < 0) return false;
      pos = found + chunk.text.length;
    }
    return pos <= endStart;
  };
  return {
    source,
    hasWildcard: true,
    test: (input) => testRange(input, 0, input.length),
    testRange,
  };
}

/**
 * True when `chunk` (which may hold wildcard `?`s: see Chunk) matches `input` at `at`, within
 * [start, end).
 */
function matchAt(
  input: string,
  at: number,
  end: number,
  chunk: string,
  wild: Uint8Array | undefined,
): boolean {
  if (at < 0 || at + chunk.length > end) return false;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c === QUESTION && (wild === undefined || wild[i] === 1)) continue;
    if (c !== input.charCodeAt(at + i)) return false;
  }
  return true;
}

/** A chunk's longest run of literal characters (no wildcard `?`) and where it starts. */
interface Run {
  readonly text: string;
  readonly offset: number;
}

function longestRun(chunk: Chunk): Run | undefined {
  const { text, wild } = chunk;
  let best: Run | undefined;
  let runStart = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !isWildAt(text, wild, i)) continue;
    if (i > runStart && (!best || i - runStart > best.text.length))
      best = { text: text.slice(runStart, i), offset: runStart };
    runStart = i + 1;
  }
  return best;
}

function isWildAt(text: string, wild: Uint8Array | undefined, i: number): boolean {
  return text.charCodeAt(i) === QUESTION && (wild === undefined || wild[i] === 1);
}

function hasWildQuestion(chunk: Chunk): boolean {
  if (chunk.wild === undefined) return chunk.text.indexOf('?') >= 0;
  return chunk.wild.indexOf(1) >= 0;
}

/** Leftmost position >= from where the plain `chunk` is and ends no later than `limit`, or -1. */
function indexOfPlain(input: string, chunk: string, from: number, limit: number): number {
  const i = input.indexOf(chunk, from);
  return i >= 0 && i + chunk.length <= limit ? i : -1;
}

/**
 * indexOfPlain for a chunk with a wildcard `?`. `anchor`: its longest literal run (undefined
 * when it has no literal character: each place is tried, and one of `?` alone matches at `from`
 * if it fits).
 */
function indexOfSlowChunk(
  input: string,
  chunk: string,
  wild: Uint8Array | undefined,
  anchor: Run | undefined,
  from: number,
  limit: number,
  end: number,
): number {
  if (anchor === undefined) {
    // wildcard `?`s only: the first place where the chunk fits
    return from + chunk.length <= limit ? from : -1;
  }
  // the places where the run is, in order: the chunk starts `offset` before each
  let p = input.indexOf(anchor.text, from + anchor.offset);
  while (p >= 0) {
    const i = p - anchor.offset;
    if (i + chunk.length > limit) return -1;
    if (matchAt(input, i, end, chunk, wild)) return i;
    p = input.indexOf(anchor.text, p + 1);
  }
  return -1;
}

/** True when the text holds `*` or `?`. */
export function hasWildcard(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === STAR || c === QUESTION) return true;
  }
  return false;
}

/** True when pattern text with escapes holds a `*` or `?` that no escape makes literal. */
function hasUnescapedWildcard(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === ESCAPE) i++;
    else if (c === STAR || c === QUESTION) return true;
  }
  return false;
}

/** True when (pattern text, with escapes where `escaped`) ends in a wildcard `*`. */
function endsInWildcardStar(text: string, escaped: boolean): boolean {
  if (!text.endsWith('*')) return false;
  if (!escaped) return true;
  // the `*` is literal when an odd number of escapes stands before it
  let escapes = 0;
  for (let i = text.length - 2; i >= 0 && text.charCodeAt(i) === ESCAPE; i--) escapes++;
  return escapes % 2 === 0;
}

/** No wildcard and (in pattern text with escapes) no escape: the text matches only itself. */
function isPlain(text: string, escaped: boolean): boolean {
  return !hasWildcard(text) && !(escaped && text.indexOf(PATTERN_ESCAPE) >= 0);
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

export function compileArnGlob(pattern: string, openEndedAllowed = true, escaped = false): ArnGlob {
  if (pattern === '*') return ANY;
  // (pattern text with escapes: see PATTERN_ESCAPE; without one it reads as it is)
  const esc = escaped && pattern.indexOf(PATTERN_ESCAPE) >= 0;
  if (!(esc ? hasUnescapedWildcard(pattern) : hasWildcard(pattern)))
    return compileGlob(pattern, esc);
  // an escape is followed by `*`, `?` or another escape, never by `:`: the text splits as the
  // ARN it stands for
  const segments = splitArn(pattern);
  if (segments.length === 1) {
    // not an ARN pattern (a service-specific resource string): a plain wildcard match
    return compileGlob(pattern, esc);
  }
  const globs = segments.map((segment) => compileGlob(segment, esc));
  const count = segments.length;
  const last = count - 1;
  const openEnded = openEndedAllowed && count < 6 && endsInWildcardStar(segments[last]!, esc);
  // The leading segments without `*`, `?` or escape (`arn`, the partition, the service, often
  // the region and account) are one prefix, `arn:aws:s3:::`, that the ARN starts with exactly
  // when each of its segments equals the pattern's (a segment holds no `:`)
  let plainHead = 0;
  while (plainHead < last && isPlain(segments[plainHead]!, esc)) plainHead++;
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
