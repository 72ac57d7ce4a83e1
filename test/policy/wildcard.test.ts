import { describe, expect, it } from 'vitest';
import {
  compileArnGlob,
  compileGlob,
  escapeEscapes,
  escapeLiteral,
  hasWildcard,
  PATTERN_ESCAPE,
  splitArn,
} from '../../src/policy/wildcard.js';

// pattern text with escapes (resolved policy variables): a literal `*`, `?`, and U+E000 itself
const LITERAL_STAR = `${PATTERN_ESCAPE}*`;
const LITERAL_QUESTION = `${PATTERN_ESCAPE}?`;
const E0 = '\uE000';
const E1 = '\uE001';
const LITERAL_E0 = `${PATTERN_ESCAPE}${E0}`;

describe('compileGlob', () => {
  it.each([
    // [pattern, input, expected]
    ['*', '', true],
    ['*', 'anything at all', true],
    ['**', '', true],
    ['', '', true],
    ['', 'a', false],
    ['abc', 'abc', true],
    ['abc', 'ABC', false],
    ['abc', 'abcd', false],
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a*', 'ba', false],
    ['*a', 'a', true],
    ['*a', 'bca', true],
    ['*a', 'ab', false],
    ['a*b', 'ab', true],
    ['a*b', 'axxb', true],
    ['a*b', 'axxbc', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acbc', true],
    ['a*b*c', 'abcb', false],
    ['ab*ba', 'aba', false], // start and end may not overlap
    ['ab*ba', 'abba', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['?', '', false],
    ['?', 'x', true],
    ['??', 'x', false],
    ['*?*', '', false],
    ['*?*', 'x', true],
    ['*a?c*', 'xxabcyy', true],
    ['*a?c*', 'xxacyy', false],
    ['*a?b*', 'aab', true],
    ['s3:get*', 's3:getobject', true],
    ['s3:get*', 's3:putobject', false],
    ['s3:*object', 's3:getobject', true],
    ['s3:list?ucket', 's3:listbucket', true],
  ])('%j vs %j -> %s', (pattern, input, expected) => {
    expect(compileGlob(pattern).test(input)).toBe(expected);
  });

  it('reports whether the pattern has a wildcard', () => {
    expect(compileGlob('abc').hasWildcard).toBe(false);
    expect(compileGlob('a*c').hasWildcard).toBe(true);
    expect(compileGlob('a?c').hasWildcard).toBe(true);
    expect(compileGlob('a?c').source).toBe('a?c');
    expect(hasWildcard('x*')).toBe(true);
    expect(hasWildcard('x')).toBe(false);
  });

  describe('pattern text with escapes (policy-variable escapes and values)', () => {
    it.each([
      [`a${LITERAL_STAR}b`, 'a*b', true],
      [`a${LITERAL_STAR}b`, 'axb', false],
      [`a${LITERAL_STAR}b`, 'ab', false],
      [`a${LITERAL_QUESTION}b`, 'a?b', true],
      [`a${LITERAL_QUESTION}b`, 'axb', false],
      [`*${LITERAL_STAR}`, 'x*', true],
      [`*${LITERAL_STAR}`, 'xy', false],
      [`*${LITERAL_STAR}*`, 'a*b', true],
      [`*${LITERAL_STAR}*`, 'ab', false],
      [`*${LITERAL_QUESTION}?*`, 'x?y', true],
      [`*${LITERAL_QUESTION}?*`, 'xzy', false],
      // an escaped U+E000 is that character, and an escape's `*` matches no U+E000
      [`a${LITERAL_E0}b`, `a${E0}b`, true],
      [`a${LITERAL_E0}b`, 'a*b', false],
      [`a${LITERAL_E0}*`, `a${E0}xy`, true],
      [`a${LITERAL_E0}*`, 'a*xy', false],
      [`a${LITERAL_STAR}b`, `a${E0}b`, false],
      [`a${LITERAL_QUESTION}b`, `a${E1}b`, false],
      [`*${LITERAL_E0}${LITERAL_STAR}?*`, `x${E0}*yz`, true],
      [`*${LITERAL_E0}${LITERAL_STAR}?*`, `x${E0}${E0}y`, false],
      [`?${LITERAL_QUESTION}`, 'x?', true],
      [`?${LITERAL_QUESTION}`, '??', true],
      [`?${LITERAL_QUESTION}`, '?x', false],
      // E001 is no escape
      [`a${E1}*`, `a${E1}x`, true],
      [`a${E1}*`, 'a?x', false],
      // a lone U+E000 at the end (which no escaping writes) escapes nothing: it is itself
      [`a${E0}`, `a${E0}`, true],
      [`a${E0}`, 'a', false],
      [`*${E0}`, `xy${E0}`, true],
      [`?${E0}`, `x${E0}`, true],
    ])('%j vs %j -> %s', (pattern, input, expected) => {
      expect(compileGlob(pattern, true).test(input)).toBe(expected);
    });

    it('an escaped `*` or `?` is not a wildcard', () => {
      expect(compileGlob(`a${LITERAL_STAR}`, true).hasWildcard).toBe(false);
      expect(compileGlob(`a${LITERAL_QUESTION}`, true).hasWildcard).toBe(false);
      expect(compileGlob(`a${LITERAL_QUESTION}?`, true).hasWildcard).toBe(true);
    });

    it('escapeLiteral and escapeEscapes write text as such patterns', () => {
      expect(escapeLiteral(`a*?${E0}${E1}`)).toBe(
        `a${LITERAL_STAR}${LITERAL_QUESTION}${LITERAL_E0}${E1}`,
      );
      expect(escapeLiteral('plain')).toBe('plain');
      expect(escapeEscapes(`a*?${E0}${E1}`)).toBe(`a*?${LITERAL_E0}${E1}`);
      expect(escapeEscapes('plain*')).toBe('plain*');
    });
  });

  describe('text as written (not escaped): U+E000 and U+E001 are characters like any other', () => {
    it.each([
      [`a${E0}b`, 'a*b', false],
      [`a${E0}b`, `a${E0}b`, true],
      [`a${E1}b`, 'a?b', false],
      [`*${E0}`, 'x*', false],
      [`*${E0}`, `x${E0}`, true],
      [`*${E0}*`, 'a*b', false],
      [`*${E1}?*`, 'x?y', false],
      [`*${E1}?*`, `x${E1}y`, true],
      [`${E0}*`, `${E0}*x`, true],
      [`${E0}${E0}*`, `${E0}x`, false],
      [`?${E0}`, 'x*', false],
    ])('%j vs %j -> %s', (pattern, input, expected) => {
      expect(compileGlob(pattern).test(input)).toBe(expected);
    });

    it('is no wildcard', () => {
      expect(compileGlob(`a${E0}`).hasWildcard).toBe(false);
      expect(compileGlob(`a${E0}`).test('a*')).toBe(false);
      expect(compileGlob(`a${E0}`).testRange(`xa${E0}x`, 1, 3)).toBe(true);
    });
  });

  describe('pathological patterns stay linear', () => {
    const pattern = compileGlob('*a*a*a*a*a*a*b');
    const as = 'a'.repeat(100_000);

    it.each([
      ['100,000 a', as, false],
      ['100,000 a then b', as + 'b', true],
      ['b then 100,000 a', 'b' + as, false],
      ['five a then b', 'aaaaab', false],
      ['six a then b', 'aaaaaab', true],
      ['a and b interleaved, ending in b', 'ab'.repeat(50_000), true],
    ])('%s', (_name, input, expected) => {
      expect(pattern.test(input)).toBe(expected);
    });

    it('with ? chunks too', () => {
      const q = compileGlob('*a?a*a?a*a?a*b');
      expect(q.test(as)).toBe(false);
      expect(q.test(as + 'b')).toBe(true);
      expect(q.test('axaaxaaxab')).toBe(true);
      expect(q.test('axaaxab')).toBe(false);
    });

    it('a long run of ? is not tried at every place (was: 137 s for 200,000 ? against 400,000 a)', () => {
      // `*` + 20,000 `?` + `b*`: the chunk is found where its `b` is, never by trying each place
      // (no timed assertion: without the fix this takes minutes, and the run would time out)
      const q = compileGlob(`*${'?'.repeat(20_000)}b*`);
      const long = 'a'.repeat(400_000);
      expect(q.test(long)).toBe(false);
      expect(q.test(long + 'b')).toBe(true);
      expect(q.test('b' + long)).toBe(false);
      expect(compileGlob(`*${'?'.repeat(20_000)}*`).test(long)).toBe(true);
    });
  });

  it('agrees with a reference matcher on random patterns with ? and *', () => {
    // a seeded generator over a small alphabet, so that runs repeat and places compete
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const reference = (pattern: string, input: string): boolean =>
      new RegExp(
        `^${[...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c)).join('')}$`,
        's',
      ).test(input);
    for (let k = 0; k < 5000; k++) {
      const pattern = Array.from({ length: 1 + next(10) }, () => 'ab?*'[next(4)]).join('');
      const input = Array.from({ length: next(14) }, () => 'ab'[next(2)]).join('');
      expect(compileGlob(pattern).test(input), `${pattern} ${input}`).toBe(
        reference(pattern, input),
      );
    }
  });
});

describe('splitArn', () => {
  it.each([
    ['arn:aws:s3:::bucket/key', ['arn', 'aws', 's3', '', '', 'bucket/key']],
    [
      'arn:aws:logs:us-east-1:1:log-group:x:*',
      ['arn', 'aws', 'logs', 'us-east-1', '1', 'log-group:x:*'],
    ],
    ['arn:aws:s3', ['arn', 'aws', 's3']],
    ['bucket', ['bucket']],
    ['', ['']],
  ])('%j', (arn, parts) => {
    expect(splitArn(arn)).toEqual(parts);
  });
});

describe('compileArnGlob', () => {
  it.each([
    ['*', 'arn:aws:s3:::b', true],
    ['*', 'not-an-arn', true],
    // no wildcard: exact, case-sensitive
    ['arn:aws:iam::111122223333:user/Bob', 'arn:aws:iam::111122223333:user/Bob', true],
    ['arn:aws:iam::111122223333:user/Bob', 'arn:aws:iam::111122223333:user/bob', false],
    // the resource part is matched whole: * crosses / and :
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b:c', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket', false],
    ['arn:aws:s3:::bucket*', 'arn:aws:s3:::bucket-2/x', true],
    [
      'arn:aws:logs:*:*:log-group:/aws/codebuild/*',
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/p:log-stream:s',
      true,
    ],
    // segments before the resource part are matched one by one
    ['arn:aws:iam::*:role/x', 'arn:aws:iam::111122223333:role/x', true],
    ['arn:aws:iam::*:role/x', 'arn:aws:iam::111122223333:role/y', false],
    ['arn:aws:sns:*:111122223333:topic', 'arn:aws:sns:us-east-1:111122223333:topic', true],
    ['arn:aws:sns:*:111122223333:topic', 'arn:aws:sns:us-east-1:extra:111122223333:topic', false],
    ['arn:aws:sns:us-east-?:*:topic', 'arn:aws:sns:us-east-1:1:topic', true],
    ['arn:aws:sns:us-east-?:*:topic', 'arn:aws:sns:us-east-10:1:topic', false],
    ['arn:aws:s3:::b?', 'arn:aws:s3:::b1', true],
    // a short pattern whose last segment ends in * matches the rest of the ARN
    ['arn:aws:s3:*', 'arn:aws:s3:::bucket/key', true],
    ['arn:aws:*', 'arn:aws:iam::111122223333:role/x', true],
    ['arn:aws:iam::*', 'arn:aws:iam::111122223333:role/x', true],
    ['arn:aws:iam::1*', 'arn:aws:iam::111122223333:role/x', true],
    ['arn:aws:iam::2*', 'arn:aws:iam::111122223333:role/x', false],
    ['arn:aws:s3*', 'arn:aws:s3:::b', true],
    ['arn:aws:s3:*', 'arn:aws:s3', false],
    ['arn:aws:s3:*', 'arn:aws:s3:x', true],
    // a short pattern not ending in * needs exactly that many segments
    ['arn:aws:s3:?', 'arn:aws:s3:::bucket', false],
    ['arn:aws:s3:?', 'arn:aws:s3:x', true],
    // fewer segments in the ARN than the pattern
    ['arn:aws:s3:::b*', 'arn:aws:s3', false],
    // not an ARN pattern: a plain wildcard match
    ['bucket*', 'bucket-1', true],
    ['bucket*', 'my-bucket', false],
    // the plain leading segments (one prefix, `arn:aws:s3:::`): empty ones, case, a colon
    // short, a wildcard further left than the resource part
    ['arn:aws:s3:::*', 'arn:aws:s3:::', true],
    ['arn:aws:s3:::*', 'arn:aws:s3::x:', false],
    ['arn:aws:s3:::*', 'arn:aws:s3::', false],
    ['arn:aws:s3:::*', 'arn:aws:S3:::b', false],
    ['arn:aws:s3:::*', 'arn:aws-cn:s3:::b', false],
    ['arn::s3:::*', 'arn:aws:s3:::b', false],
    ['arn:aws:s?:::*', 'arn:aws:s3:::b', true],
    ['arn:aws:s?:::*', 'arn:aws:s33:::b', false],
    ['arn:?ws:s3:::*', 'arn:aws:s3:::b', true],
    ['*:aws:s3:::b', 'arn:aws:s3:::b', true],
    ['arn:aws:s3:us-east-1:*:x*', 'arn:aws:s3:us-east-1:1:2:x', false],
    ['arn:aws:s3:us-east-1:*:x*', 'arn:aws:s3:us-east-1::x', true],
    // first and last chunks: case, overlap, the whole value, one UTF-16 unit of a pair
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::B/x', false],
    ['arn:aws:s3:::ab*ba', 'arn:aws:s3:::aba', false],
    ['arn:aws:s3:::ab*ba', 'arn:aws:s3:::abba', true],
    ['arn:aws:s3:::a*a', 'arn:aws:s3:::a', false],
    ['arn:aws:s3:::b*', 'arn:aws:s3:::b', true],
    ['arn:aws:s3:::*\ud83d', 'arn:aws:s3:::x\ud83d\ude00', false],
    ['arn:aws:s3:::\ud83d*', 'arn:aws:s3:::\ud83d\ude00', true],
    // U+E000 and U+E001 as written are characters like any other
    [`arn:aws:s3:::${E0}*`, 'arn:aws:s3:::*x', false],
    [`arn:aws:s3:::${E0}*`, `arn:aws:s3:::${E0}x`, true],
    [`arn:aws:s3:::*${E1}`, 'arn:aws:s3:::x?', false],
    [`arn:${E0}:s3:::*`, 'arn:*:s3:::b', false],
    [`arn:${E0}:s3:::*`, `arn:${E0}:s3:::b`, true],
    [`arn:aws:s3:::b/${E0}`, 'arn:aws:s3:::b/*', false],
    [`arn:aws:s3:::b/${E0}`, `arn:aws:s3:::b/${E0}`, true],
  ])('%j vs %j -> %s', (pattern, arn, expected) => {
    expect(compileArnGlob(pattern).test(arn)).toBe(expected);
  });

  it.each([
    // escapes (`${*}`, `${?}` resolved) in a first or last chunk or a leading segment
    [`arn:aws:s3:::${LITERAL_STAR}*`, 'arn:aws:s3:::*x', true],
    [`arn:aws:s3:::*${LITERAL_QUESTION}`, 'arn:aws:s3:::x?', true],
    [`arn:aws:s3:::*${LITERAL_QUESTION}`, 'arn:aws:s3:::xa', false],
    [`arn:${LITERAL_STAR}:s3:::*`, 'arn:*:s3:::b', true],
    [`arn:${LITERAL_STAR}:s3:::*`, 'arn:aws:s3:::b', false],
    [`arn:${LITERAL_STAR}:s3:::*`, `arn:${E0}:s3:::b`, false],
    // an escaped U+E000 is that character
    [`arn:aws:s3:::${LITERAL_E0}*`, `arn:aws:s3:::${E0}x`, true],
    [`arn:aws:s3:::${LITERAL_E0}*`, 'arn:aws:s3:::*x', false],
    [`arn:${LITERAL_E0}:s3:::*`, `arn:${E0}:s3:::b`, true],
    [`arn:${LITERAL_E0}:s3:::*`, 'arn:*:s3:::b', false],
    // a short pattern ending in an escaped `*` is not open-ended; one ending in an escaped
    // U+E000 and a wildcard `*` is
    [`arn:aws:s3:${LITERAL_STAR}`, 'arn:aws:s3:*', true],
    [`arn:aws:s3:${LITERAL_STAR}`, 'arn:aws:s3:*:b', false],
    [`arn:aws:s3:${LITERAL_STAR}?`, 'arn:aws:s3:*x', true],
    [`arn:aws:s3:${LITERAL_STAR}?`, 'arn:aws:s3:*x:b', false],
    [`arn:aws:s3:*${LITERAL_STAR}`, 'arn:aws:s3:xy*', true],
    [`arn:aws:s3:*${LITERAL_STAR}`, 'arn:aws:s3:x:y*', false],
    [`arn:aws:s3:${LITERAL_E0}*`, `arn:aws:s3:${E0}:b`, true],
    [`arn:aws:s3:${LITERAL_E0}*`, 'arn:aws:s3:*:b', false],
    // no escape: read as written
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/x', true],
  ])('pattern text with escapes %j vs %j -> %s', (pattern, arn, expected) => {
    expect(compileArnGlob(pattern, true, true).test(arn)).toBe(expected);
  });

  it('differs from a plain glob exactly where a * would cross a colon before the resource part', () => {
    const pattern = 'arn:aws:sns:*:111122223333:topic';
    const arn = 'arn:aws:sns:us-east-1:extra:111122223333:topic';
    expect(compileGlob(pattern).test(arn)).toBe(true);
    expect(compileArnGlob(pattern).test(arn)).toBe(false);
  });

  it('honours escapes in resolved templates', () => {
    const g = compileArnGlob(`arn:aws:s3:::b/home/a${LITERAL_STAR}/*`, true, true);
    expect(g.test('arn:aws:s3:::b/home/a*/x')).toBe(true);
    expect(g.test('arn:aws:s3:::b/home/abc/x')).toBe(false);
    const exact = compileArnGlob(`arn:aws:s3:::b/${LITERAL_QUESTION}`, true, true);
    expect(exact.hasWildcard).toBe(false);
    expect(exact.test('arn:aws:s3:::b/?')).toBe(true);
    expect(exact.test('arn:aws:s3:::b/x')).toBe(false);
    // in a segment before the resource part, beside a wildcard further on
    const region = compileArnGlob(`arn:aws:sns:us-${LITERAL_STAR}:*:topic`, true, true);
    expect(region.test('arn:aws:sns:us-*:111122223333:topic')).toBe(true);
    expect(region.test('arn:aws:sns:us-x:111122223333:topic')).toBe(false);
  });

  it('tests a range on its own: a colon after the range is not one of its segments', () => {
    // testRange is test(input.slice(start, end)) (Glob)
    const g = compileArnGlob('arn:*:s3:*:*:*');
    const input = 'arn:aws:s3:x:y:z';
    expect(g.test(input.slice(0, 10))).toBe(false);
    expect(g.testRange(input, 0, 10)).toBe(false);
    expect(g.testRange(input, 0, input.length)).toBe(true);
  });

  it('agrees with a reference matcher on random ARN patterns, in whole and in ranges', () => {
    // plain leading segments are compared as one prefix, the rest segment by segment: the
    // reference is one regular expression per pattern, where a wildcard of the first five
    // segments stays within its segment. Patterns are pattern text with escapes (a literal `*`,
    // `?`, U+E000), and where they have no literal `*` or `?` also the same text as written
    let seed = 4242;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    // each character of pattern text with escapes: a wildcard, or a literal character
    const tokens = (text: string): { wild: boolean; c: string }[] => {
      const out: { wild: boolean; c: string }[] = [];
      for (let i = 0; i < text.length; i++) {
        if (text[i] === PATTERN_ESCAPE && i + 1 < text.length)
          out.push({ wild: false, c: text[++i]! });
        else out.push({ wild: text[i] === '*' || text[i] === '?', c: text[i]! });
      }
      return out;
    };
    const reference = (pattern: string, openEndedAllowed: boolean): RegExp => {
      // (split here, not with splitArn: the reference shares no code with the matcher)
      const colons = pattern.split(':');
      const split = colons.length > 6 ? [...colons.slice(0, 5), colons.slice(5).join(':')] : colons;
      const segments = split.map(tokens);
      const last = segments.length - 1;
      const end = segments[last]![segments[last]!.length - 1];
      const openEnded = openEndedAllowed && last < 5 && end?.wild === true && end.c === '*';
      const parts = segments.map((seg, i) => {
        const crosses = i === last && (last === 5 || openEnded);
        return seg
          .map(({ wild, c }) =>
            !wild ? escape(c) : c === '*' ? (crosses ? '.*' : '[^:]*') : crosses ? '.' : '[^:]',
          )
          .join('');
      });
      return new RegExp(`^${parts.join(':')}$`, 's');
    };
    const pieces = [
      ...['arn', 'aws', 's3', ':', ':', ':', ':', 'a', 'b', '/', '*', '?', '1'],
      ...[LITERAL_STAR, LITERAL_QUESTION, LITERAL_E0, E1],
    ];
    // (colons often enough that many patterns and inputs have all six segments)
    const inputPieces = [
      ...['arn', 'aws', 's3', ':', ':', ':', ':', 'a', 'b', '/', '*', '?', '1'],
      ...[E0, E1],
    ];
    const random = (from: readonly string[], most: number): string =>
      Array.from({ length: next(most) }, () => from[next(from.length)]).join('');
    const fill = (pattern: string): string =>
      tokens(pattern)
        .map(({ wild, c }) =>
          !wild ? c : c === '*' ? random(['a', 'b', '/', '1', E0], 3) : `ab/1${E0}`[next(5)]!,
        )
        .join('');
    let matched = 0;
    let asWritten = 0;
    for (let k = 0; k < 20_000; k++) {
      const pattern = 'arn:' + random(pieces, 12);
      if (!/[*?]/.test(pattern)) continue; // no wildcard: a plain glob, tested above
      const openEndedAllowed = next(2) === 0;
      const g = compileArnGlob(pattern, openEndedAllowed, true);
      const re = reference(pattern, openEndedAllowed);
      // the same pattern as a policy writes it, where it has no literal `*` or `?`
      const ts = tokens(pattern);
      const written = ts.every((t) => t.wild || (t.c !== '*' && t.c !== '?'))
        ? compileArnGlob(ts.map((t) => t.c).join(''), openEndedAllowed)
        : undefined;
      if (written) asWritten++;
      for (let j = 0; j < 4; j++) {
        // half of them made from the pattern (its wildcards filled in without a colon), so
        // that many match
        const body = j % 2 === 0 ? fill(pattern.slice(4)) : random(inputPieces, 14);
        const input = 'xarn:' + body + 'y';
        const start = next(2);
        const end = input.length - next(2);
        const inRange = re.test(input.slice(start, end));
        const whole = re.test(input.slice(1, -1));
        if (whole) matched++;
        expect(g.testRange(input, start, end), `${pattern} ${input} ${start} ${end}`).toBe(inRange);
        expect(g.test(input.slice(1, -1)), `${pattern} ${input}`).toBe(whole);
        if (written) {
          expect(written.testRange(input, start, end), `${pattern} ${input}`).toBe(inRange);
          expect(written.test(input.slice(1, -1)), `${pattern} ${input}`).toBe(whole);
        }
      }
    }
    expect(matched).toBeGreaterThan(100);
    expect(asWritten).toBeGreaterThan(1000);
  });

  it('agrees with a reference matcher on random patterns over `*`, `?`, U+E000 and U+E001', () => {
    // pattern text with escapes, and the same text as written where it can be
    let seed = 777;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = ['a', '*', '?', E0, E1];
    let asWritten = 0;
    for (let k = 0; k < 5000; k++) {
      // each character of the pattern: a wildcard or a literal one
      const chars = Array.from({ length: 1 + next(8) }, () => ({
        wild: next(2) === 0,
        c: alphabet[next(alphabet.length)]!,
      })).map((t) => (t.c === '*' || t.c === '?' ? t : { wild: false, c: t.c }));
      const re = new RegExp(
        `^${chars.map((t) => (!t.wild ? (t.c === '*' || t.c === '?' ? `\\${t.c}` : t.c) : t.c === '*' ? '.*' : '.')).join('')}$`,
        's',
      );
      const escaped = chars.map((t) => (t.wild ? t.c : escapeLiteral(t.c))).join('');
      const g = compileGlob(escaped, true);
      const writable = chars.every((t) => t.wild || (t.c !== '*' && t.c !== '?'));
      const written = writable ? compileGlob(chars.map((t) => t.c).join('')) : undefined;
      if (written) asWritten++;
      for (let j = 0; j < 4; j++) {
        const input = Array.from({ length: next(9) }, () => alphabet[next(alphabet.length)]).join(
          '',
        );
        expect(g.test(input), `${escaped} ${input}`).toBe(re.test(input));
        if (written) expect(written.test(input), `${escaped} ${input}`).toBe(re.test(input));
      }
    }
    expect(asWritten).toBeGreaterThan(500);
  });

  it('is linear on a pathological resource part', () => {
    const g = compileArnGlob('arn:aws:s3:::*a*a*a*a*a*a*b');
    expect(g.test('arn:aws:s3:::' + 'a'.repeat(100_000))).toBe(false);
    expect(g.test('arn:aws:s3:::' + 'a'.repeat(100_000) + 'b')).toBe(true);
  });
});
